#include <gtest/gtest.h>

#include "evsim/core/percent_encoding.hpp"

namespace {

using namespace evsim::percent;

TEST(PercentEncoding, SegmentsRoundTrip) {
    EXPECT_EQ(encode_segment("42:42:42:42:42:42"), "42%3A42%3A42%3A42%3A42%3A42");
    EXPECT_EQ(encode_segment("a b/c?d#e%f"), "a%20b%2Fc%3Fd%23e%25f");
    EXPECT_EQ(encode_segment("Az09-_.~"), "Az09-_.~");
    EXPECT_EQ(encode_segment("\xc3\xa9"), "%C3%A9");
    for (const std::string text : {"", "x", "42:42", "a b/c?d#e%f", "\xc3\xa9\x01\xff"}) {
        EXPECT_EQ(decode(encode_segment(text)), text) << text;
    }
}

TEST(PercentEncoding, DecodeRefusesBrokenEscapes) {
    EXPECT_EQ(decode("%41%62c"), "Abc");
    EXPECT_EQ(decode("%3a"), ":");
    for (const char* bad : {"%", "%4", "a%", "%zz", "%4g", "ab%2"}) EXPECT_FALSE(decode(bad)) << bad;
}

}  // namespace
