#include "evsim/core/tzif.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace evsim::tz {

namespace {

constexpr std::size_t kHeaderSize = 44;
constexpr std::size_t kMaxFileBytes = 1U << 20U;  // real zone files are a few KiB

std::uint32_t be32(std::string_view bytes, std::size_t at) {
    return (std::uint32_t{static_cast<unsigned char>(bytes[at])} << 24U) |
           (std::uint32_t{static_cast<unsigned char>(bytes[at + 1])} << 16U) |
           (std::uint32_t{static_cast<unsigned char>(bytes[at + 2])} << 8U) |
           std::uint32_t{static_cast<unsigned char>(bytes[at + 3])};
}

std::int64_t be64(std::string_view bytes, std::size_t at) {
    return static_cast<std::int64_t>((std::uint64_t{be32(bytes, at)} << 32U) | be32(bytes, at + 4));
}

struct Counts {
    std::uint32_t isut, isstd, leap, time, type, chars;
};

std::optional<Counts> header(std::string_view bytes, std::size_t at) {
    if (bytes.size() < at + kHeaderSize || bytes.substr(at, 4) != "TZif") return std::nullopt;
    Counts c{be32(bytes, at + 20), be32(bytes, at + 24), be32(bytes, at + 28),
             be32(bytes, at + 32), be32(bytes, at + 36), be32(bytes, at + 40)};
    // RFC 8536 section 3.1: typecnt must not be zero; the indicator counts are zero or typecnt.
    if (c.type == 0 || c.type > 256 || c.chars == 0 || c.time > 100'000 || c.leap > 10'000) return std::nullopt;
    if ((c.isut != 0 && c.isut != c.type) || (c.isstd != 0 && c.isstd != c.type)) return std::nullopt;
    return c;
}

std::size_t data_size(const Counts& c, std::size_t time_bytes) {
    return std::size_t{c.time} * time_bytes + c.time + std::size_t{c.type} * 6 + c.chars +
           std::size_t{c.leap} * (time_bytes + 4) + c.isstd + c.isut;
}

bool safe_name(std::string_view name) {
    if (name.empty() || name.size() > 128 || name.front() == '/' || name.find("..") != std::string_view::npos)
        return false;
    return std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
               ch == '-' || ch == '+' || ch == '/';
    });
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes;
    bytes.resize(kMaxFileBytes + 1);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > kMaxFileBytes) return std::nullopt;
    return bytes;
}

}  // namespace

Zone Zone::fixed(std::int32_t utc_offset_seconds) {
    Zone zone;
    zone.initial_ = utc_offset_seconds;
    return zone;
}

std::int32_t Zone::offset_at(std::int64_t unix_seconds) const noexcept {
    const auto after = std::upper_bound(transitions_.begin(), transitions_.end(), unix_seconds);
    if (after == transitions_.begin()) return initial_;
    return offsets_[static_cast<std::size_t>(std::distance(transitions_.begin(), after)) - 1];
}

std::optional<Zone> parse_tzif(std::string_view bytes) {
    const auto v1 = header(bytes, 0);
    if (!v1) return std::nullopt;
    const char version = bytes[4];
    std::size_t at = kHeaderSize;
    Counts counts = *v1;
    std::size_t time_bytes = 4;
    if (version >= '2') {
        // Skip the 32-bit block for the 64-bit one that follows its own header.
        const std::size_t skip = data_size(*v1, 4);
        if (bytes.size() < at + skip) return std::nullopt;
        const auto v2 = header(bytes, at + skip);
        if (!v2) return std::nullopt;
        counts = *v2;
        at += skip + kHeaderSize;
        time_bytes = 8;
    }
    if (bytes.size() < at + data_size(counts, time_bytes)) return std::nullopt;
    Zone zone;
    zone.transitions_.reserve(counts.time);
    for (std::uint32_t i = 0; i < counts.time; ++i) {
        const std::size_t p = at + std::size_t{i} * time_bytes;
        const std::int64_t t = time_bytes == 8 ? be64(bytes, p) : static_cast<std::int32_t>(be32(bytes, p));
        if (!zone.transitions_.empty() && t <= zone.transitions_.back()) return std::nullopt;  // must ascend
        zone.transitions_.push_back(t);
    }
    const std::size_t index_at = at + std::size_t{counts.time} * time_bytes;
    const std::size_t types_at = index_at + counts.time;
    auto offset_of = [&](std::size_t type) {
        return static_cast<std::int32_t>(be32(bytes, types_at + type * 6));
    };
    for (std::uint32_t i = 0; i < counts.type; ++i) {
        const std::int32_t offset = offset_of(i);
        if (offset < -25 * 3600 || offset > 26 * 3600) return std::nullopt;  // RFC 8536: -89999..93599
    }
    zone.offsets_.reserve(counts.time);
    for (std::uint32_t i = 0; i < counts.time; ++i) {
        const auto type = static_cast<unsigned char>(bytes[index_at + i]);
        if (type >= counts.type) return std::nullopt;
        zone.offsets_.push_back(offset_of(type));
    }
    zone.initial_ = offset_of(0);  // RFC 8536 section 3.2: type 0 before the first transition
    return zone;
}

std::optional<Zone> load_zone(std::string_view name, std::string& error, const std::string& zoneinfo_dir) {
    if (name == "UTC") return Zone::fixed(0);
    std::string path;
    if (name == "Local") {
        const char* tz = std::getenv("TZ");
        std::string_view env = tz ? tz : "";
        if (!env.empty() && env.front() == ':') env.remove_prefix(1);
        if (env == "UTC" || env == "UTC0") return Zone::fixed(0);
        if (!env.empty() && safe_name(env)) {
            path = zoneinfo_dir + "/" + std::string(env);
        } else {
            path = "/etc/localtime";
        }
        const auto bytes = read_file(path);
        if (!bytes) return Zone::fixed(0);  // no local zone configured: the C library's default, UTC
        if (auto zone = parse_tzif(*bytes)) return zone;
        return Zone::fixed(0);
    }
    if (!safe_name(name)) {
        error = "'" + std::string(name) + "' is not a time zone name (UTC, Local or a location like Asia/Seoul)";
        return std::nullopt;
    }
    const auto bytes = read_file(zoneinfo_dir + "/" + std::string(name));
    if (!bytes) {
        error = "unknown time zone '" + std::string(name) + "'";
        return std::nullopt;
    }
    auto zone = parse_tzif(*bytes);
    if (!zone) error = "time zone file of '" + std::string(name) + "' is malformed";
    return zone;
}

}  // namespace evsim::tz
