#include "evsim/core/measurement.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace evsim::measurement {
namespace {

TEST(MeasurementIdTest, WritesSequenceDotMicroseconds) {
    std::string out = "x";
    append_id(out, {12, 1763900000123456});
    EXPECT_EQ(out, "x12.1763900000123456");
}

TEST(MeasurementIdTest, RoundTripsExtremes) {
    for (const Stamp stamp : {Stamp{0, 0}, Stamp{1, -5}, Stamp{std::numeric_limits<std::uint64_t>::max(), 0},
                              Stamp{7, std::numeric_limits<std::int64_t>::min()},
                              Stamp{7, std::numeric_limits<std::int64_t>::max()}}) {
        std::string id;
        append_id(id, stamp);
        const auto parsed = parse_id(id);
        ASSERT_TRUE(parsed) << id;
        EXPECT_EQ(*parsed, stamp) << id;
    }
}

TEST(MeasurementIdTest, RejectsAnythingElse) {
    for (const char* id : {"", "12", "12.", ".5", "12.5x", "x12.5", "-1.5", "+1.5", "1.+5", "01.5", "1.05", "1..5",
                           "1.5.6", " 1.5", "1.5 ", "18446744073709551616.1", "1.9223372036854775808", "1.-"}) {
        EXPECT_FALSE(parse_id(id)) << id;
    }
}

TEST(MeasurementEnvelopeTest, JsonDataGoesInAsItIs) {
    std::string out;
    append_envelope(out, {3, 1700000000000001}, R"({"t":21.5})", DataForm::json);
    EXPECT_EQ(out, R"({"evsim_seq":3,"evsim_sent_us":1700000000000001,"data":{"t":21.5}})");
    const auto parsed = parse_envelope(out);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->stamp, (Stamp{3, 1700000000000001}));
    EXPECT_EQ(parsed->data, R"({"t":21.5})");
}

TEST(MeasurementEnvelopeTest, TextDataBecomesAnEscapedJsonString) {
    std::string out;
    append_envelope(out, {1, 2}, "say \"hi\"\n\\", DataForm::text);
    EXPECT_EQ(out, R"({"evsim_seq":1,"evsim_sent_us":2,"data":"say \"hi\"\n\\"})");
    const auto parsed = parse_envelope(out);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->data, R"("say \"hi\"\n\\")");
}

TEST(MeasurementEnvelopeTest, RejectsOtherDocuments) {
    for (const char* text : {"", "42", R"({"data":1})", R"({"evsim_seq":1,"evsim_sent_us":2,"data":})",
                             R"({"evsim_seq":-1,"evsim_sent_us":2,"data":1})",
                             R"({"evsim_seq":1,"evsim_sent_us":2,"data":1)", R"({"evsim_seq":1,"data":1})",
                             R"({"evsim_seq": 1,"evsim_sent_us":2,"data":1})",
                             R"({"evsim_seq":1,"evsim_sent_us":x,"data":1})"}) {
        EXPECT_FALSE(parse_envelope(text)) << text;
    }
}

}  // namespace
}  // namespace evsim::measurement
