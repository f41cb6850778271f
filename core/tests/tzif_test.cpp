// TZif files (RFC 8536): offsets from synthetic files in both versions, bad files refused, and the
// system's own zone files by name.
#include <gtest/gtest.h>

#include "evsim/core/tzif.hpp"

namespace {

using evsim::tz::parse_tzif;

void put32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}
void put64(std::string& out, std::int64_t v) {
    put32(out, static_cast<std::uint32_t>(static_cast<std::uint64_t>(v) >> 32));
    put32(out, static_cast<std::uint32_t>(v));
}

struct Type {
    std::int32_t offset;
    bool dst;
};

// One data block: transitions (time, type index) and types; `wide`: 64-bit times.
std::string block(char version, const std::vector<std::pair<std::int64_t, unsigned char>>& transitions,
                  const std::vector<Type>& types, bool wide) {
    std::string out = "TZif";
    out += version;
    out += std::string(15, '\0');
    put32(out, 0);                                            // isutcnt
    put32(out, 0);                                            // isstdcnt
    put32(out, 0);                                            // leapcnt
    put32(out, static_cast<std::uint32_t>(transitions.size()));  // timecnt
    put32(out, static_cast<std::uint32_t>(types.size()));     // typecnt
    put32(out, 4);                                            // charcnt
    for (const auto& [time, type] : transitions) {
        if (wide) put64(out, time);
        else put32(out, static_cast<std::uint32_t>(static_cast<std::int32_t>(time)));
    }
    for (const auto& [time, type] : transitions) out += static_cast<char>(type);
    for (const auto& type : types) {
        put32(out, static_cast<std::uint32_t>(type.offset));
        out += static_cast<char>(type.dst);
        out += '\0';
    }
    out += std::string("XST\0", 4);
    return out;
}

// A zone at +1h that moves to +2h at t=1000 and back at t=2000.
const std::vector<std::pair<std::int64_t, unsigned char>> kTransitions{{1000, 1}, {2000, 0}};
const std::vector<Type> kTypes{{3600, false}, {7200, true}};

TEST(Tzif, Version1Offsets) {
    const auto zone = parse_tzif(block('\0', kTransitions, kTypes, false));
    ASSERT_TRUE(zone);
    EXPECT_EQ(zone->offset_at(0), 3600);
    EXPECT_EQ(zone->offset_at(999), 3600);
    EXPECT_EQ(zone->offset_at(1000), 7200);
    EXPECT_EQ(zone->offset_at(1999), 7200);
    EXPECT_EQ(zone->offset_at(2000), 3600);
    EXPECT_EQ(zone->offset_at(1LL << 40), 3600);
}

TEST(Tzif, Version2UsesThe64BitBlock) {
    // The 32-bit block says something else: only the second one counts.
    const auto bytes = block('2', {{5, 1}}, kTypes, false) +
                       block('2', {{1000, 1}, {4'000'000'000LL, 0}}, kTypes, true) + "\nXST-1\n";
    const auto zone = parse_tzif(bytes);
    ASSERT_TRUE(zone);
    EXPECT_EQ(zone->offset_at(500), 3600);
    EXPECT_EQ(zone->offset_at(3'000'000'000LL), 7200);
    EXPECT_EQ(zone->offset_at(4'000'000'001LL), 3600);
}

TEST(Tzif, MalformedFilesAreRefused) {
    const auto good = block('\0', kTransitions, kTypes, false);
    EXPECT_FALSE(parse_tzif(""));
    EXPECT_FALSE(parse_tzif("TZif"));
    EXPECT_FALSE(parse_tzif("XZif" + good.substr(4)));
    for (std::size_t cut = 0; cut < good.size(); ++cut) EXPECT_FALSE(parse_tzif(good.substr(0, cut))) << cut;
    EXPECT_FALSE(parse_tzif(block('\0', {{1000, 2}}, kTypes, false)));              // no type 2
    EXPECT_FALSE(parse_tzif(block('\0', {{2000, 1}, {1000, 0}}, kTypes, false)));   // not ascending
    EXPECT_FALSE(parse_tzif(block('\0', {}, {}, false)));                            // no types
    EXPECT_FALSE(parse_tzif(block('\0', {}, {{100'000, false}}, false)));            // offset out of range
    EXPECT_FALSE(parse_tzif(block('2', {}, kTypes, false) + "garbage"));             // no second header
}

TEST(Tzif, SystemZonesByName) {
    std::string error;
    const auto seoul = evsim::tz::load_zone("Asia/Seoul", error);
    ASSERT_TRUE(seoul) << error << " (is tzdata installed? scripts/bootstrap.sh installs it)";
    EXPECT_EQ(seoul->offset_at(1729070964), 9 * 3600);
    const auto berlin = evsim::tz::load_zone("Europe/Berlin", error);
    ASSERT_TRUE(berlin) << error;
    EXPECT_EQ(berlin->offset_at(1704067200), 3600);  // 2024-01-01
    EXPECT_EQ(berlin->offset_at(1719792000), 7200);  // 2024-07-01
    EXPECT_EQ(evsim::tz::load_zone("UTC", error)->offset_at(1719792000), 0);
    EXPECT_TRUE(evsim::tz::load_zone("Local", error));
}

TEST(Tzif, UnknownAndUnsafeNamesAreErrors) {
    std::string error;
    EXPECT_FALSE(evsim::tz::load_zone("Mars/Olympus_Mons", error));
    EXPECT_EQ(error, "unknown time zone 'Mars/Olympus_Mons'");
    for (const char* bad : {"../../etc/passwd", "/etc/localtime", "", "Asia/Seoul;rm", "a b"}) {
        error.clear();
        EXPECT_FALSE(evsim::tz::load_zone(bad, error)) << bad;
        EXPECT_NE(error.find("is not a time zone name"), std::string::npos) << bad << ": " << error;
    }
}

}  // namespace
