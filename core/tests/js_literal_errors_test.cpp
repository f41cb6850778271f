// Every error of the JavaScript literal parser: exact message and position, and the limits.
#include <gtest/gtest.h>

#include "evsim/core/js_literal.hpp"

namespace js = evsim::js;

namespace {

std::string error_of(std::string_view text) {
    try {
        js::parse_literal(text);
    } catch (const js::SyntaxError& e) {
        return e.what();
    }
    return "no error";
}

const std::string expected_value = "expected a value (string, number, array, object, true, false, null), found ";

}  // namespace

TEST(JsLiteralErrors, NotAValue) {
    EXPECT_EQ(error_of(""), "1:1: " + expected_value + "end of input");
    EXPECT_EQ(error_of("  // only a comment"), "1:20: " + expected_value + "end of input");
    EXPECT_EQ(error_of("{ x: 1, y: foo }"), "1:12: " + expected_value + "identifier 'foo'");
    EXPECT_EQ(error_of("[NaN]"), "1:2: " + expected_value + "identifier 'NaN'");
    EXPECT_EQ(error_of("[Infinity]"), "1:2: " + expected_value + "identifier 'Infinity'");
    EXPECT_EQ(error_of("[True]"), "1:2: " + expected_value + "identifier 'True'");
    EXPECT_EQ(error_of("[getUrl('x')]"), "1:2: " + expected_value + "a function call 'getUrl(...)'");
    EXPECT_EQ(error_of("[new Date()]"), "1:2: " + expected_value + "identifier 'new'");
    EXPECT_EQ(error_of("[`tpl`]"), "1:2: " + expected_value + "a template literal (`...`)");
    EXPECT_EQ(error_of("[ ... ]"), "1:3: " + expected_value + "'...'");
    EXPECT_EQ(error_of("[1,,2]"), "1:4: " + expected_value + "','");
    EXPECT_EQ(error_of("[,]"), "1:2: " + expected_value + "','");
    EXPECT_EQ(error_of("(1)"), "1:1: " + expected_value + "'('");
    EXPECT_EQ(error_of("[\x01]"), "1:2: " + expected_value + "control character U+0001");
    EXPECT_EQ(error_of("[" + std::string(50, 'a') + "]"), "1:2: " + expected_value + "identifier '" + std::string(40, 'a') + "...'");
}

TEST(JsLiteralErrors, Structure) {
    EXPECT_EQ(error_of("[1 2]"), "1:4: expected ',' or ']' after an array element, found a number");
    EXPECT_EQ(error_of("[1"), "1:3: expected ',' or ']' after an array element, found end of input");
    EXPECT_EQ(error_of("[1}"), "1:3: expected ',' or ']' after an array element, found '}'");
    EXPECT_EQ(error_of("{a: 1 b: 2}"), "1:7: expected ',' or '}' after a property, found identifier 'b'");
    EXPECT_EQ(error_of("{a: 1"), "1:6: expected ',' or '}' after a property, found end of input");
    EXPECT_EQ(error_of("{a 1}"), "1:4: expected ':' after property name 'a', found a number");
    EXPECT_EQ(error_of("{a, b}"), "1:3: expected ':' after property name 'a', found ','");
    EXPECT_EQ(error_of("{a = 1}"), "1:4: expected ':' after property name 'a', found '='");
    EXPECT_EQ(error_of("{1: 2}"), "1:2: expected a property name (an identifier or a quoted string), found a number");
    EXPECT_EQ(error_of("{[k]: 2}"), "1:2: expected a property name (an identifier or a quoted string), found '['");
    EXPECT_EQ(error_of("{,}"), "1:2: expected a property name (an identifier or a quoted string), found ','");
    EXPECT_EQ(error_of("{...x}"), "1:2: expected a property name (an identifier or a quoted string), found '...'");
    EXPECT_EQ(error_of("[1];"), "1:4: expected the end of input after the value, found ';'");
    EXPECT_EQ(error_of("[1] [2]"), "1:5: expected the end of input after the value, found '['");
    EXPECT_EQ(error_of("[1]\n/* open"), "2:1: unterminated comment (no closing */)");
}

TEST(JsLiteralErrors, Strings) {
    EXPECT_EQ(error_of("['abc"), "1:2: unterminated string (no closing ')");
    EXPECT_EQ(error_of("[\"abc\\"), "1:2: unterminated string (no closing \")");
    EXPECT_EQ(error_of("['ab\ncd']"), "1:5: line break inside a string; write \\n, or end the line with \\ to continue it");
    EXPECT_EQ(error_of("['ab\r\ncd']"), "1:5: line break inside a string; write \\n, or end the line with \\ to continue it");
    EXPECT_EQ(error_of("['\\x4']"), "1:3: invalid escape \\x: expected two hex digits");
    EXPECT_EQ(error_of("['\\xZZ']"), "1:3: invalid escape \\x: expected two hex digits");
    EXPECT_EQ(error_of("['\\u12']"), "1:3: invalid escape \\u: expected four hex digits or {code point}");
    EXPECT_EQ(error_of("['a\\u{}']"), "1:4: invalid escape \\u{...}: expected hex digits and '}'");
    EXPECT_EQ(error_of("['\\u{41']"), "1:3: invalid escape \\u{...}: expected hex digits and '}'");
    EXPECT_EQ(error_of("['\\u{110000}']"), "1:3: invalid escape \\u{...}: code point above 10FFFF");
    EXPECT_EQ(error_of("['\\u{" + std::string(100, 'F') + "}']"), "1:3: invalid escape \\u{...}: code point above 10FFFF");
    EXPECT_EQ(error_of("['\\1']"), "1:3: octal escapes such as \\1 are not allowed (strict mode); use \\xHH or \\uXXXX");
    EXPECT_EQ(error_of("['\\01']"), "1:3: octal escapes such as \\0 are not allowed (strict mode); use \\xHH or \\uXXXX");
    EXPECT_EQ(error_of("['\\8']"), "1:3: octal escapes such as \\8 are not allowed (strict mode); use \\xHH or \\uXXXX");
    // A high surrogate followed by a broken \u escape: the broken escape is what is reported.
    EXPECT_EQ(error_of("['\\uD83D\\u12']"), "1:9: invalid escape \\u: expected four hex digits or {code point}");
}

TEST(JsLiteralErrors, Numbers) {
    EXPECT_EQ(error_of("[012]"), "1:2: numbers may not start with 0 ('012'): legacy octal literals are not allowed");
    EXPECT_EQ(error_of("[00]"), "1:2: numbers may not start with 0 ('00'): legacy octal literals are not allowed");
    EXPECT_EQ(error_of("[0x]"), "1:2: invalid number '0x'");
    EXPECT_EQ(error_of("[0xG]"), "1:2: invalid number '0xG'");
    EXPECT_EQ(error_of("[0b2]"), "1:2: invalid number '0b2'");
    EXPECT_EQ(error_of("[1e]"), "1:2: invalid number '1e'");
    EXPECT_EQ(error_of("[1e+]"), "1:2: invalid number '1e'");
    EXPECT_EQ(error_of("[3in]"), "1:2: invalid number '3in'");
    EXPECT_EQ(error_of("[1_000]"), "1:2: invalid number '1_000'");
    EXPECT_EQ(error_of("[10n]"), "1:2: invalid number '10n'");
    EXPECT_EQ(error_of("[1.2.3]"), "1:5: expected ',' or ']' after an array element, found a number");
    EXPECT_EQ(error_of("[-]"), "1:2: expected a number after '-', found ']'");
    EXPECT_EQ(error_of("[--1]"), "1:2: expected a number after '-', found '-'");
    EXPECT_EQ(error_of("[+x]"), "1:2: expected a number after '+', found identifier 'x'");
    EXPECT_EQ(error_of("[1e999]"), "1:2: number '1e999' is out of range");
    EXPECT_EQ(error_of("[-1e-999]"), "1:2: number '-1e-999' is out of range");
    EXPECT_EQ(error_of("[0x" + std::string(300, 'F') + "]"), "1:2: number '0x" + std::string(38, 'F') + "...' is out of range");
}

TEST(JsLiteralErrors, Positions) {
    EXPECT_EQ(error_of("[\n  1,\n  foo\n]"), "3:3: " + expected_value + "identifier 'foo'");
    EXPECT_EQ(error_of("[\r\n  1,\r  foo\n]"), "3:3: " + expected_value + "identifier 'foo'");
    EXPECT_EQ(error_of("['\xC3\xA9\xC3\xA9', foo]"), "1:8: " + expected_value + "identifier 'foo'");
    EXPECT_EQ(error_of("/* a\nb */ [\n x]"), "3:2: " + expected_value + "identifier 'x'");
    try {
        js::parse_literal("[\n  oops]");
        FAIL();
    } catch (const js::SyntaxError& e) {
        EXPECT_EQ(e.where().line, 2);
        EXPECT_EQ(e.where().column, 3);
        EXPECT_EQ(e.message(), expected_value + "identifier 'oops'");
    }
}

TEST(JsLiteralErrors, Limits) {
    const std::string too_deep = std::string(js::max_depth + 1, '[') + std::string(js::max_depth + 1, ']');
    EXPECT_EQ(error_of(too_deep), "1:65: nesting deeper than 64 levels");
    // Far deeper than the stack could take if the depth were not checked first.
    EXPECT_EQ(error_of(std::string(1'000'000, '[')), "1:65: nesting deeper than 64 levels");
    std::string objects;
    for (int i = 0; i < 100'000; ++i) objects += "{a:";
    EXPECT_EQ(error_of(objects), "1:193: nesting deeper than 64 levels");

    EXPECT_EQ(error_of(std::string(js::max_input_bytes + 1, ' ')), "1:1: input is 4194305 bytes; the limit is 4194304 (4 MiB)");
    EXPECT_THROW(js::parse_literal_at(std::string(js::max_input_bytes + 1, ' '), 0), js::SyntaxError);

    EXPECT_EQ(error_of("'" + std::string(js::max_string_bytes + 1, 'x') + "'"), "1:1: string longer than 1048576 bytes");
    // Escapes count by what they produce: \u{1F600} is four bytes.
    std::string escaped = "'";
    for (std::size_t i = 0; i < js::max_string_bytes / 4 + 1; ++i) escaped += "\\u{1F600}";
    EXPECT_EQ(error_of(escaped + "'"), "1:1: string longer than 1048576 bytes");

    std::string many = "[";
    for (std::size_t i = 0; i < js::max_values; ++i) many += "0,";
    EXPECT_EQ(error_of(many + "]"), "1:400000: more than 200000 values; the limit is 200000");
}

TEST(JsLiteralErrors, HugeInputIsRefusedQuickly) {
    // 4 MiB of an unterminated string and of an unterminated comment: one pass, a clear error.
    EXPECT_EQ(error_of("'" + std::string(js::max_input_bytes - 1, 'x')), "1:1: string longer than 1048576 bytes");
    EXPECT_EQ(error_of("[/*" + std::string(js::max_input_bytes - 3, 'x')), "1:2: unterminated comment (no closing */)");
    EXPECT_EQ(error_of("\"" + std::string(1000, 'x')), "1:1: unterminated string (no closing \")");
}
