// python_json_dumps against what CPython 3's json.dumps prints with its defaults.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "../src/python_json.hpp"

namespace evsim::producers {
namespace {

std::string dumps(std::string_view json) { return python_json_dumps(boost::json::parse(json)); }

TEST(PythonJson, Separators) {
    EXPECT_EQ(dumps(R"({"a":1,"b":[true,false,null],"c":{}})"), R"({"a": 1, "b": [true, false, null], "c": {}})");
    EXPECT_EQ(dumps("[]"), "[]");
    EXPECT_EQ(dumps(R"("x")"), R"("x")");
}

TEST(PythonJson, FloatsAsRepr) {
    const std::pair<const char*, const char*> cases[] = {
        {"1.0", "1.0"},        {"100.0", "100.0"},   {"2.50", "2.5"},          {"-0.5", "-0.5"},
        {"0.1", "0.1"},        {"1e15", "1000000000000000.0"}, {"1e16", "1e+16"}, {"1.5e16", "1.5e+16"},
        {"0.0001", "0.0001"},  {"0.00001", "1e-05"}, {"1.5e-7", "1.5e-07"},     {"1e100", "1e+100"},
        {"123456.789", "123456.789"}, {"0.0", "0.0"}, {"-0.0", "-0.0"},         {"5e-324", "5e-324"},
    };
    for (const auto& [in, out] : cases) EXPECT_EQ(dumps(in), out) << in;
    EXPECT_EQ(dumps("12"), "12");
    EXPECT_EQ(dumps("-9223372036854775808"), "-9223372036854775808");
    EXPECT_EQ(dumps("18446744073709551615"), "18446744073709551615");
}

TEST(PythonJson, StringsEnsureAscii) {
    EXPECT_EQ(dumps(R"("a\"b\\c\/d")"), R"("a\"b\\c/d")");
    EXPECT_EQ(dumps(R"("\n\r\t\b\f\u0001\u001f")"), R"("\n\r\t\b\f\u0001\u001f")");
    EXPECT_EQ(dumps("\"caf\xc3\xa9\""), R"("caf\u00e9")");
    EXPECT_EQ(dumps("\"\xe2\x82\xac\""), R"("\u20ac")");
    EXPECT_EQ(dumps("\"\xf0\x9f\x98\x80\""), R"("\ud83d\ude00")");
    EXPECT_EQ(dumps("\"\x7f\""), "\"\x7f\"");  // DEL is ASCII: kept as is
}

}  // namespace
}  // namespace evsim::producers
