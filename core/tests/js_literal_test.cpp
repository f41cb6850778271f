// What the JavaScript literal parser accepts: every feature of the subset, with values and positions.
#include <gtest/gtest.h>

#include "evsim/core/js_literal.hpp"

namespace js = evsim::js;

namespace {

std::string str(std::string_view text) { return js::parse_literal(text).as_string(); }
double num(std::string_view text) { return js::parse_literal(text).as_number(); }

}  // namespace

TEST(JsLiteral, Keywords) {
    EXPECT_EQ(std::get<bool>(js::parse_literal("true").data), true);
    EXPECT_EQ(std::get<bool>(js::parse_literal("false").data), false);
    EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(js::parse_literal("null").data));
    EXPECT_TRUE(std::holds_alternative<js::Undefined>(js::parse_literal("undefined").data));
    EXPECT_TRUE(js::parse_literal("null").is_nullish());
    EXPECT_TRUE(js::parse_literal("undefined").is_nullish());
    EXPECT_FALSE(js::parse_literal("0").is_nullish());
}

TEST(JsLiteral, Numbers) {
    EXPECT_EQ(num("0"), 0);
    EXPECT_EQ(num("5000"), 5000);
    EXPECT_EQ(num("-3"), -3);
    EXPECT_EQ(num("+3"), 3);
    EXPECT_EQ(num("- /* unary */ 1"), -1);
    EXPECT_EQ(num("1.5"), 1.5);
    EXPECT_EQ(num(".5"), 0.5);
    EXPECT_EQ(num("5."), 5);
    EXPECT_EQ(num("5.e1"), 50);
    EXPECT_EQ(num("1e3"), 1000);
    EXPECT_EQ(num("1E+3"), 1000);
    EXPECT_EQ(num("25e-1"), 2.5);
    EXPECT_EQ(num("0x1F"), 31);
    EXPECT_EQ(num("0XfF"), 255);
    EXPECT_EQ(num("-0x10"), -16);
    EXPECT_EQ(num("0o17"), 15);
    EXPECT_EQ(num("0b101"), 5);
    EXPECT_EQ(num("0.0"), 0);
    EXPECT_EQ(num("1.7976931348623157e308"), 1.7976931348623157e308);
}

TEST(JsLiteral, StringsAndEscapes) {
    EXPECT_EQ(str(R"("double")"), "double");
    EXPECT_EQ(str("'single'"), "single");
    EXPECT_EQ(str(R"('it\'s "quoted"')"), "it's \"quoted\"");
    EXPECT_EQ(str(R"("a\"b")"), "a\"b");
    EXPECT_EQ(str(R"("\n\t\r\b\f\v\\\/")"), "\n\t\r\b\f\v\\/");
    EXPECT_EQ(str(R"("\0")"), std::string(1, '\0'));
    EXPECT_EQ(str(R"("\x41\x7a")"), "Az");
    EXPECT_EQ(str(R"("\xE9")"), "\xC3\xA9");           // U+00E9, not the byte E9
    EXPECT_EQ(str(R"("\u0041\u00e9\u20AC")"), "A\xC3\xA9\xE2\x82\xAC");
    EXPECT_EQ(str(R"("\u{1F600}")"), "\xF0\x9F\x98\x80");
    EXPECT_EQ(str(R"("\u{000041}")"), "A");
    EXPECT_EQ(str(R"("\u{10FFFF}")"), "\xF4\x8F\xBF\xBF");
    EXPECT_EQ(str(R"("\uD83D\uDE00")"), "\xF0\x9F\x98\x80");  // a surrogate pair is one character
    EXPECT_EQ(str(R"("\u{D83D}\u{DE00}")"), "\xF0\x9F\x98\x80");
    EXPECT_EQ(str(R"("\uD83D")"), "\xEF\xBF\xBD");      // lone surrogates cannot be UTF-8
    EXPECT_EQ(str(R"("\uDE00x")"), "\xEF\xBF\xBDx");
    EXPECT_EQ(str(R"("\uD83D\u0041")"), "\xEF\xBF\xBD" "A");
    EXPECT_EQ(str(R"("\a\q\-")"), "aq-");               // identity escapes
    EXPECT_EQ(str("\"\\\xC3\xA9\""), "\xC3\xA9");        // an escaped non-ASCII character is itself
    EXPECT_EQ(str("'caf\xC3\xA9 \xE2\x82\xAC'"), "caf\xC3\xA9 \xE2\x82\xAC");
    EXPECT_EQ(str("'bad \xFF byte'"), "bad \xEF\xBF\xBD byte");  // repaired, as the browser would
    EXPECT_EQ(str("'a\xE2\x80\xA8" "b'"), "a\xE2\x80\xA8" "b");   // U+2028 is allowed raw since ES2019
}

TEST(JsLiteral, LineContinuations) {
    EXPECT_EQ(str("'ab\\\ncd'"), "abcd");
    EXPECT_EQ(str("'ab\\\r\ncd'"), "abcd");
    EXPECT_EQ(str("'ab\\\rcd'"), "abcd");
    EXPECT_EQ(str("'ab\\\xE2\x80\xA8" "cd'"), "abcd");
    // The continued line still counts as a line for positions.
    const js::Value v = js::parse_literal("['a\\\nb', 1]");
    EXPECT_EQ(v.as_array()[1].at.line, 2);
    EXPECT_EQ(v.as_array()[1].at.column, 5);
}

TEST(JsLiteral, ArraysObjectsAndOrder) {
    const js::Value v = js::parse_literal(R"({ b: 1, 'a': [1, "two", [], {}], "c-d": null, $e_1: true, b: 2 })");
    ASSERT_TRUE(v.is_object());
    const auto& members = v.as_object();
    ASSERT_EQ(members.size(), 5U);
    EXPECT_EQ(members[0].key, "b");
    EXPECT_EQ(members[1].key, "a");
    EXPECT_EQ(members[2].key, "c-d");
    EXPECT_EQ(members[3].key, "$e_1");
    EXPECT_EQ(members[4].key, "b");
    EXPECT_EQ(v.find("b")->as_number(), 2);  // a later key wins, as in JS
    EXPECT_EQ(v.find("missing"), nullptr);
    EXPECT_EQ(js::parse_literal("1").find("x"), nullptr);
    const auto& a = v.find("a")->as_array();
    ASSERT_EQ(a.size(), 4U);
    EXPECT_EQ(a[1].as_string(), "two");
    EXPECT_TRUE(a[2].as_array().empty());
    EXPECT_TRUE(a[3].as_object().empty());
    // Keywords are ordinary property names.
    EXPECT_TRUE(js::parse_literal("{true: 1, null: 2, function: 3}").is_object());
    EXPECT_EQ(js::parse_literal("{caf\xC3\xA9: 1}").as_object()[0].key, "caf\xC3\xA9");
}

TEST(JsLiteral, TrailingCommasCommentsAndWhitespace) {
    EXPECT_EQ(js::parse_literal("[1, 2, ]").as_array().size(), 2U);
    EXPECT_EQ(js::parse_literal("{a: 1,}").as_object().size(), 1U);
    const js::Value v = js::parse_literal(
        "// leading\n/* block */ [ /* in */ 1 // after\n , /*x*/ { /* k */ a /* c */ : /* v */ 2 /* e */ , } ,\n] // end");
    ASSERT_EQ(v.as_array().size(), 2U);
    EXPECT_EQ(v.as_array()[1].find("a")->as_number(), 2);
    // BOM, NBSP, tabs, CRLF and the Unicode line/paragraph separators are white space.
    EXPECT_EQ(js::parse_literal("\xEF\xBB\xBF\t[\xC2\xA0" "1,\r\n2\xE2\x80\xA8,\xE3\x80\x80" "3]").as_array().size(), 3U);
    EXPECT_EQ(js::parse_literal("[1 /* a ** b */]").as_array().size(), 1U);
}

TEST(JsLiteral, Positions) {
    const js::Value v = js::parse_literal("[\n  {a: 'x',\n   b: [1, 2]},\r\n\t'\xC3\xA9\xC3\xA9', 3]");
    EXPECT_EQ(v.at.line, 1);
    EXPECT_EQ(v.at.column, 1);
    const auto& items = v.as_array();
    EXPECT_EQ(items[0].at.line, 2);
    EXPECT_EQ(items[0].at.column, 3);
    EXPECT_EQ(items[0].as_object()[1].key_at.line, 3);
    EXPECT_EQ(items[0].as_object()[1].key_at.column, 4);
    EXPECT_EQ(items[0].find("b")->as_array()[1].at.column, 11);
    EXPECT_EQ(items[1].at.line, 4);
    EXPECT_EQ(items[1].at.column, 2);
    EXPECT_EQ(items[2].at.column, 8);  // columns count characters, not bytes
}

TEST(JsLiteral, ParseAt) {
    const std::string text = "var x = 1;\nvar list = [1, 2]; more code ( ) {";
    const auto start = text.find('[');
    const js::Parsed parsed = js::parse_literal_at(text, start);
    EXPECT_EQ(parsed.value.as_array().size(), 2U);
    EXPECT_EQ(parsed.value.at.line, 2);
    EXPECT_EQ(parsed.value.at.column, 12);
    EXPECT_EQ(text.substr(parsed.end, 1), ";");
    EXPECT_EQ(js::parse_literal_at("  /* c */ 'a' rest", 0).value.as_string(), "a");
}

TEST(JsLiteral, Describe) {
    EXPECT_EQ(js::describe(js::parse_literal("1")), "a number");
    EXPECT_EQ(js::describe(js::parse_literal("'s'")), "a string");
    EXPECT_EQ(js::describe(js::parse_literal("[]")), "an array");
    EXPECT_EQ(js::describe(js::parse_literal("{}")), "an object");
    EXPECT_EQ(js::describe(js::parse_literal("true")), "true");
    EXPECT_EQ(js::describe(js::parse_literal("null")), "null");
    EXPECT_EQ(js::describe(js::parse_literal("undefined")), "undefined");
}

TEST(JsLiteral, DeepButAllowedNesting) {
    const std::string deep = std::string(js::max_depth, '[') + std::string(js::max_depth, ']');
    EXPECT_NO_THROW(js::parse_literal(deep));
    std::string objects;
    for (std::size_t i = 0; i < js::max_depth; ++i) objects += "{a:";
    objects += "1" + std::string(js::max_depth, '}');
    EXPECT_NO_THROW(js::parse_literal(objects));
}

TEST(JsLiteral, LargeButAllowed) {
    std::string many = "[";
    for (std::size_t i = 0; i + 1 < js::max_values; ++i) many += "0,";
    many += "]";
    EXPECT_EQ(js::parse_literal(many).as_array().size(), js::max_values - 1);
    const std::string long_string = "'" + std::string(js::max_string_bytes, 'x') + "'";
    EXPECT_EQ(js::parse_literal(long_string).as_string().size(), js::max_string_bytes);
}
