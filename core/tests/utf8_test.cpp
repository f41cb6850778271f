// The WHATWG UTF-8 decoder's replacement rules, vector by vector.
#include <gtest/gtest.h>

#include "evsim/core/utf8.hpp"

namespace evsim::utf8 {
namespace {

const std::string R = "\xEF\xBF\xBD";

struct Case {
    std::string input;
    std::string repaired;
    bool valid;
};

TEST(Utf8, ReplacementFollowsTheEncodingStandard) {
    const std::vector<Case> cases = {
        {"", "", true},
        {"plain ascii", "plain ascii", true},
        {"\xC2\xA9", "\xC2\xA9", true},
        {"\xE2\x82\xAC", "\xE2\x82\xAC", true},
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", true},
        {"\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF", true},       // U+10FFFF
        {"\xEF\xBB\xBF", "\xEF\xBB\xBF", true},               // a BOM is a valid character here
        {"\x80", R, false},                                    // lone continuation
        {"\xC1\xBF", R + R, false},                            // C0/C1 never valid leads
        {"\xE0\x80\x80", R + R + R, false},                    // overlong: E0 then 80 out of range
        {"\xE0\xA0", R, false},                                // cut off: one replacement
        {"\xED\xA0\x80", R + R + R, false},                    // surrogate
        {"\xF4\x90\x80\x80", R + R + R + R, false},            // above U+10FFFF
        {"\xF5\x80", R + R, false},
        {"\xFE\xFF", R + R, false},
        {"\xE2\x82" "a", R + "a", false},                      // the breaking byte is examined again
        {"\xF0\x9F\x98" "\xE2\x82\xAC", R + "\xE2\x82\xAC", false},
        {"ab\xC3", "ab" + R, false},
        {"0123456789abcdef\xFF" "0123456789abcdef", "0123456789abcdef" + R + "0123456789abcdef", false},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(repaired(c.input), c.repaired) << "input size " << c.input.size();
        EXPECT_EQ(is_valid(c.input), c.valid) << "input size " << c.input.size();
        EXPECT_TRUE(is_valid(repaired(c.input)));
    }
}

TEST(Utf8, AppendKeepsWhatIsAlreadyThere) {
    std::string out = "x";
    append_repaired(out, "\xFF" "y");
    EXPECT_EQ(out, "x" + R + "y");
}

}  // namespace
}  // namespace evsim::utf8

namespace evsim::utf8 {
namespace {

TEST(Utf8, FirstInvalidAndSequenceAt) {
    EXPECT_EQ(first_invalid("abc"), std::string_view::npos);
    EXPECT_EQ(first_invalid("ab\xC3\xA9z\xFF"), 5U);
    EXPECT_EQ(first_invalid("\xFF" "abc\xFF", 1), 4U);
    EXPECT_EQ(sequence_at("\xE2\x82\xAC", 0).length, 3U);
    EXPECT_EQ(sequence_at("a", 0).length, 1U);
    EXPECT_EQ(sequence_at("\xE2\x82", 0).length, 0U);
    EXPECT_TRUE(sequence_at("\xE2\x82", 0).cut_off);
    EXPECT_FALSE(sequence_at("\xE2" "a", 0).cut_off);
}

TEST(Utf8, DecodeAndEncodeCodePoints) {
    EXPECT_EQ(decode_at("x\xE2\x82\xAC", 1, 3), U'\u20AC');
    EXPECT_EQ(decode_at("\xF0\x9F\x98\x80", 0, 4), U'\U0001F600');
    for (const char32_t cp : {U'A', U'\u00E9', U'\u20AC', U'\U0001F600', U'\U0010FFFF'}) {
        std::string out;
        append_code_point(out, cp);
        ASSERT_TRUE(is_valid(out));
        EXPECT_EQ(decode_at(out, 0, out.size()), cp);
    }
}

}  // namespace
}  // namespace evsim::utf8
