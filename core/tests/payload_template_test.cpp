// json_template and pad_to: exact output with a fake clock, escaping, field streams, JSON validity.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "evsim/core/payload.hpp"
#include "evsim/core/utf8.hpp"
#include "json_check.hpp"

namespace evsim::payload {
namespace {

using namespace std::chrono_literals;
using evsim::testing::JsonCheck;
using Values = std::vector<std::string>;

// A clock that starts at `start` and moves by `step` at every reading.
Clock stepping_clock(std::chrono::system_clock::time_point start, std::chrono::microseconds step) {
    return [now = start, step]() mutable {
        const auto reading = now;
        now += step;
        return reading;
    };
}

Values draw(const GeneratorSpec& spec, std::uint64_t seed, int count, Clock clock = {}) {
    auto generator = make_generator(spec, seed, std::move(clock));
    Values values;
    for (int i = 0; i < count; ++i) {
        std::string value;
        generator->next(value);
        values.push_back(value);
    }
    return values;
}

std::string first(const GeneratorSpec& spec) { return draw(spec, 1, 1).front(); }

TEST(JsonTemplate, ExactOutputWithAFakeClock) {
    const JsonTemplate spec{
        R"({"seq":{{seq}},"ts":{{ts_ms}},"us":{{ts_us}},"temp":{{temp}},"name":{{name}},"label":"s-{{seq}}/{{name}}"})",
        {{"temp", RandomInt{}}, {"name", Constant{"a\"b"}}}};
    const auto start = std::chrono::system_clock::time_point(1'700'000'000'123'456us);
    EXPECT_EQ(draw(spec, 42, 3, stepping_clock(start, 1500us)),
              (Values{R"({"seq":0,"ts":1700000000123,"us":1700000000123456,"temp":98,"name":"a\"b","label":"s-0/a\"b"})",
                      R"({"seq":1,"ts":1700000000124,"us":1700000000124956,"temp":61,"name":"a\"b","label":"s-1/a\"b"})",
                      R"({"seq":2,"ts":1700000000126,"us":1700000000126456,"temp":93,"name":"a\"b","label":"s-2/a\"b"})"}));
}

TEST(JsonTemplate, FieldSeedsAreDocumentedAndIndependent) {
    // Golden values of the documented derivation (checked against an independent implementation).
    EXPECT_EQ(field_seed(42, "temp"), 14130933823423762832ULL);
    EXPECT_EQ(field_seed(42, "name"), 16565279623569626179ULL);
    EXPECT_EQ(field_seed(0, ""), 17266428597469986463ULL);

    // A field's values are those of the same generator seeded with field_seed: adding or renaming
    // another field does not change them.
    const RandomInt wide{0, 1'000'000};
    const Values alone = draw(JsonTemplate{"{{a}}", {{"a", wide}}}, 9, 200);
    const Values with_b = draw(JsonTemplate{"[{{a}},{{b}}]", {{"a", wide}, {"b", wide}}}, 9, 200);
    const Values standalone_a = draw(wide, field_seed(9, "a"), 200);
    const Values standalone_b = draw(wide, field_seed(9, "b"), 200);
    EXPECT_EQ(alone, standalone_a);
    for (std::size_t i = 0; i < with_b.size(); ++i) {
        ASSERT_EQ(with_b[i], "[" + standalone_a[i] + "," + standalone_b[i] + "]");
    }
    EXPECT_NE(standalone_a, standalone_b);  // same spec, different names: different streams
}

TEST(JsonTemplate, AFieldUsedTwiceShowsOneValue) {
    for (const std::string& value : draw(JsonTemplate{"[{{v}},{{v}},\"{{v}}\"]", {{"v", RandomInt{0, 1'000'000}}}}, 3, 100)) {
        const std::size_t comma = value.find(',');
        const std::string number = value.substr(1, comma - 1);
        ASSERT_EQ(value, "[" + number + "," + number + ",\"" + number + "\"]");
    }
}

TEST(JsonTemplate, TextFieldsAreEscapedLikeJsonStringify) {
    const std::string text = "q\"b\\s/\x01\x1f\t\n\r\b\f\x7f \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    EXPECT_EQ(first(JsonTemplate{"{{t}}", {{"t", Constant{text}}}}),
              R"("q\"b\\s/\u0001\u001f\t\n\r\b\f)" "\x7f \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
    EXPECT_EQ(first(JsonTemplate{"{{t}}", {{"t", Constant{std::string("a\0b", 3)}}}}), R"("a\u0000b")");

    // Inside a JSON string the value is escaped without quotes of its own.
    EXPECT_EQ(first(JsonTemplate{R"({"msg":"say {{t}}!"})", {{"t", Constant{"\"hi\"\n"}}}}), R"({"msg":"say \"hi\"\n!"})");

    // Every control character, alone and inside a string, gives valid JSON.
    for (int c = 0; c < 0x20; ++c) {
        const std::string one(1, static_cast<char>(c));
        const std::string whole = first(JsonTemplate{"{{t}}", {{"t", Constant{one}}}});
        const std::string inside = first(JsonTemplate{R"(["<{{t}}>"])", {{"t", Constant{one}}}});
        EXPECT_TRUE(JsonCheck::valid(whole)) << c << ": " << whole;
        EXPECT_TRUE(JsonCheck::valid(inside)) << c << ": " << inside;
        EXPECT_EQ(whole.size(), std::string("\b\f\n\r\t").find(one) != std::string::npos ? 4U : 8U) << c;
    }
}

TEST(JsonTemplate, ValueKindsDecideHowAValueIsInserted) {
    const JsonTemplate nested{R"({"n":{{seq}}})", {}};
    EXPECT_EQ(first(JsonTemplate{R"({"a":{{inner}},"s":"{{inner}}"})", {{"inner", nested}}}),
              R"({"a":{"n":0},"s":"{\"n\":0}"})");
    EXPECT_EQ(first(JsonTemplate{R"({"pad":{{pad}}})", {{"pad", PadTo{GeneratorSpec{Constant{}}, 5, 'x'}}}}),
              R"({"pad":"xxxxx"})");
    EXPECT_EQ(first(JsonTemplate{R"(["v={{v}}",{{v}}])", {{"v", Counter{-1, 1}}}}), R"(["v=-1",-1])");
    EXPECT_EQ(first(JsonTemplate{R"([{{f}}])", {{"f", RandomFloat{2.5, 2.5, 2}}}}), "[2.50]");
}

TEST(JsonTemplate, PlaceholdersAnywhereAValueGoes) {
    EXPECT_EQ(draw(JsonTemplate{"{{seq}}", {}}, 0, 3), (Values{"0", "1", "2"}));
    EXPECT_EQ(first(JsonTemplate{"{{name}}", {{"name", Constant{"x"}}}}), R"("x")");
    EXPECT_EQ(first(JsonTemplate{R"("{{name}}")", {{"name", Constant{"x"}}}}), R"("x")");
    EXPECT_EQ(first(JsonTemplate{R"({"{{k}}":1})", {{"k", Constant{"key"}}}}), R"({"key":1})");
    EXPECT_EQ(first(JsonTemplate{R"({"a":{"b":{{seq}}}})", {}}), R"({"a":{"b":0}})");  // "}}" after a placeholder
    EXPECT_EQ(first(JsonTemplate{"{ \"a\" : [ {{ seq }} ,\n\t{{seq}} ] }", {}}), "{ \"a\" : [ 0 ,\n\t0 ] }");
    EXPECT_EQ(first(JsonTemplate{R"(["\u007b{not a placeholder}", "\"{{seq}}\\"])", {}}),
              R"(["\u007b{not a placeholder}", "\"0\\"])");
    EXPECT_EQ(first(JsonTemplate{"[\"\xC3\xA9\", {{seq}}, true, false, null, -0.5e+3]", {}}),
              "[\"\xC3\xA9\", 0, true, false, null, -0.5e+3]");
}

TEST(JsonTemplate, TimestampsReadTheClockOnceAndDefaultToTheSystemClock) {
    int readings = 0;
    auto generator = make_generator(JsonTemplate{"[{{ts_ms}},{{ts_us}},{{ts_ms}}]", {}}, 0, [&readings] {
        ++readings;
        return std::chrono::system_clock::time_point(1500us);
    });
    std::string out;
    generator->next(out);
    EXPECT_EQ(out, "[1,1500,1]");
    EXPECT_EQ(readings, 1);

    auto no_clock = make_generator(JsonTemplate{"{{seq}}", {}}, 0, [&readings] {
        ++readings;
        return std::chrono::system_clock::time_point{};
    });
    no_clock->next(out);
    EXPECT_EQ(readings, 1);  // a text without timestamps never reads the clock

    const auto before = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const std::string now = first(JsonTemplate{"{{ts_ms}}", {}});
    const auto after = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    EXPECT_GE(std::stoll(now), before.time_since_epoch().count());
    EXPECT_LE(std::stoll(now), after.time_since_epoch().count());
}

TEST(JsonTemplate, ManyDrawsStayValidJsonWithinTheSizeBound) {
    const JsonTemplate spec{R"({"id":"ev-{{seq}}","at":{{ts_us}},"sensor":{"t":{{t}},"h":{{h}},"w":{{w}},"s":{{s}}},)"
                            R"("tags":[{{tag}},"{{tag}}"],"inner":{{inner}},"note":"{{inner}}"})",
                            {{"t", RandomFloat{-40, 60, 1}},
                             {"h", RandomWalk{}},
                             {"w", Sine{}},
                             {"s", Counter{-5, 1}},
                             {"tag", Constant{"\x01\"\\/\xE2\x82\xAC"}},
                             {"inner", JsonTemplate{R"({"x":{{x}},"q":"\"{{x}}"})", {{"x", RandomInt{-9, 9}}}}}}};
    auto generator = make_generator(spec, 77);
    std::string out;
    for (int i = 0; i < 2000; ++i) {
        out.clear();
        generator->next(out);
        ASSERT_TRUE(JsonCheck::valid(out)) << out;
        ASSERT_TRUE(utf8::is_valid(out)) << out;
        ASSERT_LE(out.size(), generator->max_size());
    }
}

TEST(PadTo, PadsToTheSizeAndNeverTruncates) {
    EXPECT_EQ(draw(PadTo{GeneratorSpec{Counter{}}, 5, '.'}, 0, 2), (Values{"0....", "1...."}));
    EXPECT_EQ(draw(PadTo{GeneratorSpec{Constant{"abcdef"}}, 3, ' '}, 0, 1), (Values{"abcdef"}));
    EXPECT_EQ(draw(PadTo{GeneratorSpec{Constant{"ab"}}, 0, ' '}, 0, 1), (Values{"ab"}));
    // Padding does not change the inner generator's values (it gets the same seed).
    EXPECT_EQ(draw(PadTo{GeneratorSpec{RandomInt{}}, 4, '_'}, 42, 3), (Values{"61__", "34__", "78__"}));
}

TEST(PadTo, CountsOnlyWhatItAppendsAndKeepsJsonValid) {
    auto counter = make_generator(PadTo{GeneratorSpec{Counter{}}, 3, '-'}, 0);
    std::string out = "prefix:";
    counter->next(out);
    EXPECT_EQ(out, "prefix:0--");

    auto padded = make_generator(PadTo{GeneratorSpec{JsonTemplate{R"({"seq":{{seq}}})", {}}}, 1000, ' '}, 0);
    for (int i = 0; i < 20; ++i) {
        out.clear();
        padded->next(out);
        ASSERT_EQ(out.size(), 1000U);
        ASSERT_TRUE(JsonCheck::valid(out));  // trailing spaces are JSON whitespace
    }
    EXPECT_EQ(padded->max_size(), 1000U);
}

TEST(JsonCheckSelfTest, RejectsWhatItShould) {
    for (const char* good : {"0", "-0.5e+3", "\"\"", "[]", "{}", " {\"a\" : [1, true, null, \"\\u00e9\"]} "}) {
        EXPECT_TRUE(JsonCheck::valid(good)) << good;
    }
    for (const char* bad : {"", "01", "1.", "[1,]", "{\"a\"}", "\"\x01\"", "\"\\x\"", "tru", "{} x", "\"a", "[1 2]"}) {
        EXPECT_FALSE(JsonCheck::valid(bad)) << bad;
    }
}

}  // namespace
}  // namespace evsim::payload
