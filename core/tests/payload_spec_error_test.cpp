// Every SpecError of make_generator, with its exact message.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "evsim/core/payload.hpp"

namespace evsim::payload {
namespace {

struct ErrorCase {
    std::string label;
    GeneratorSpec spec;
    std::string message;
};

void expect_errors(const std::vector<ErrorCase>& cases) {
    for (const ErrorCase& c : cases) {
        try {
            make_generator(c.spec, 0);
            ADD_FAILURE() << c.label << ": no SpecError";
        } catch (const SpecError& e) {
            EXPECT_EQ(std::string(e.what()), c.message) << c.label;
        }
        EXPECT_THROW(validate(c.spec), SpecError) << c.label;
    }
}

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(PayloadSpecError, ScalarParameters) {
    expect_errors({
        {"int order", RandomInt{99, 10}, "random_int: min (99) must not be greater than max (10)"},
        {"float min", RandomFloat{-inf, 1, 2}, "random_float: min must be a finite number between -1e15 and 1e15 (got -inf)"},
        {"float max", RandomFloat{0, 2e15, 2}, "random_float: max must be a finite number between -1e15 and 1e15 (got 2e+15)"},
        {"float order", RandomFloat{5, 1, 2}, "random_float: min (5) must not be greater than max (1)"},
        {"float decimals", RandomFloat{0, 1, 10}, "random_float: decimals must be 0..9 (got 10)"},
        {"float decimals<0", RandomFloat{0, 1, -1}, "random_float: decimals must be 0..9 (got -1)"},
        {"walk start", RandomWalk{.start = nan}, "random_walk: start must be a finite number between -1e15 and 1e15 (got nan)"},
        {"walk step", RandomWalk{.step = inf}, "random_walk: step must be a finite number between -1e15 and 1e15 (got inf)"},
        {"walk min", RandomWalk{.min = -1e16}, "random_walk: min must be a finite number between -1e15 and 1e15 (got -1e+16)"},
        {"walk max", RandomWalk{.max = nan}, "random_walk: max must be a finite number between -1e15 and 1e15 (got nan)"},
        {"walk order", RandomWalk{.start = 5, .min = 10, .max = 0}, "random_walk: min (10) must not be greater than max (0)"},
        {"walk step 0", RandomWalk{.step = 0},
         "random_walk: step must be greater than 0 (got 0; use constant for a value that never changes)"},
        {"walk step<0", RandomWalk{.step = -1},
         "random_walk: step must be greater than 0 (got -1; use constant for a value that never changes)"},
        {"walk start out", RandomWalk{.start = 150}, "random_walk: start (150) must be between min (0) and max (100)"},
        {"walk decimals", RandomWalk{.decimals = 12}, "random_walk: decimals must be 0..9 (got 12)"},
        {"sine amplitude", Sine{.amplitude = inf}, "sine: amplitude must be a finite number between -1e15 and 1e15 (got inf)"},
        {"sine offset", Sine{.offset = 1.5e15}, "sine: offset must be a finite number between -1e15 and 1e15 (got 1.5e+15)"},
        {"sine period", Sine{.period = 0}, "sine: period must be at least 1 call (got 0)"},
        {"sine period<0", Sine{.period = -60}, "sine: period must be at least 1 call (got -60)"},
        {"sine phase 1", Sine{.phase = 1}, "sine: phase must be in [0, 1), a fraction of a period (got 1)"},
        {"sine phase<0", Sine{.phase = -0.25}, "sine: phase must be in [0, 1), a fraction of a period (got -0.25)"},
        {"sine phase nan", Sine{.phase = nan}, "sine: phase must be in [0, 1), a fraction of a period (got nan)"},
        {"sine decimals", Sine{.decimals = 10}, "sine: decimals must be 0..9 (got 10)"},
        {"constant utf8", Constant{"ok\xC3("}, "constant: text is not valid UTF-8 (first bad byte at offset 2)"},
        {"constant size", Constant{std::string(max_output_bytes + 1, 'x')},
         "constant: text is 16777217 bytes (limit 16777216)"},
    });
}

TEST(PayloadSpecError, TemplateText) {
    expect_errors({
        {"empty", JsonTemplate{}, "json_template: expected a JSON value at offset 0"},
        {"size", JsonTemplate{"\"" + std::string(max_template_bytes, 'x') + "\"", {}},
         "json_template: text is 65538 bytes (limit 65536)"},
        {"utf8", JsonTemplate{"[\"\xFF\"]", {}}, "json_template: text is not valid UTF-8 (first bad byte at offset 2)"},
        {"trailing", JsonTemplate{"{} {}", {}}, "json_template: unexpected text after the JSON value at offset 3"},
        {"colon", JsonTemplate{R"({"a" 1})", {}}, "json_template: expected ':' after the key at offset 5"},
        {"key", JsonTemplate{R"({a:1})", {}}, "json_template: expected a string key at offset 1"},
        {"key placeholder", JsonTemplate{R"({ {{seq}}:1})", {}},
         "json_template: a key must be a string: write \"{{name}}\", with quotes at offset 2"},
        {"object end", JsonTemplate{R"({"a":1 "b":2})", {}}, "json_template: expected ',' or '}' at offset 7"},
        {"trailing comma", JsonTemplate{R"({"a":1,})", {}}, "json_template: expected a string key at offset 7"},
        {"array end", JsonTemplate{"[1 2]", {}}, "json_template: expected ',' or ']' at offset 3"},
        {"array comma", JsonTemplate{"[1,]", {}}, "json_template: expected a JSON value at offset 3"},
        {"unterminated", JsonTemplate{R"(["abc)", {}}, "json_template: unterminated string at offset 5"},
        {"control", JsonTemplate{"[\"a\tb\"]", {}}, "json_template: control character in a string (escape it) at offset 3"},
        {"escape", JsonTemplate{R"(["\x"])", {}}, "json_template: invalid escape at offset 3"},
        {"unicode escape", JsonTemplate{R"(["\u12G4"])", {}}, "json_template: expected four hex digits after \\u at offset 6"},
        {"leading zero", JsonTemplate{"[01]", {}}, "json_template: expected ',' or ']' at offset 2"},
        {"minus", JsonTemplate{"[-]", {}}, "json_template: expected a digit at offset 2"},
        {"fraction", JsonTemplate{"[1.]", {}}, "json_template: expected a digit after '.' at offset 3"},
        {"exponent", JsonTemplate{"[1e+]", {}}, "json_template: expected a digit in the exponent at offset 4"},
        {"word", JsonTemplate{"[nul]", {}}, "json_template: expected a JSON value at offset 1"},
        {"unquoted text", JsonTemplate{"hello", {}}, "json_template: expected a JSON value at offset 0"},
        {"number glued", JsonTemplate{"[1{{seq}}]", {}}, "json_template: expected ',' or ']' at offset 2"},
        {"depth", JsonTemplate{std::string(200, '[') + std::string(200, ']'), {}},
         "json_template: nesting deeper than 128 levels at offset 129"},
    });
}

TEST(PayloadSpecError, TemplatePlaceholdersAndFields) {
    const std::string malformed =
        "malformed placeholder: expected {{name}} with a name of letters, digits and '_' "
        "(write a literal \"{{\" inside a string as \"\\u007b{\")";
    expect_errors({
        {"malformed", JsonTemplate{R"({"a":{{x-y}}})", {}}, "json_template: " + malformed + " at offset 5"},
        {"malformed empty", JsonTemplate{R"(["{{}}"])", {}}, "json_template: " + malformed + " at offset 2"},
        {"malformed open", JsonTemplate{R"(["{{seq"])", {}}, "json_template: " + malformed + " at offset 2"},
        {"unknown", JsonTemplate{R"({"t":{{tmp}}})", {{"temp", RandomInt{}}, {"hum", RandomInt{}}}},
         "json_template: unknown placeholder {{tmp}} at offset 5 (fields: temp, hum; built-ins: seq, ts_ms, ts_us)"},
        {"unknown no fields", JsonTemplate{R"(["{{ts}}"])", {}},
         "json_template: unknown placeholder {{ts}} at offset 2 (fields: none; built-ins: seq, ts_ms, ts_us)"},
        {"field name", JsonTemplate{"{{seq}}", {{"a-b", RandomInt{}}}},
         "json_template: field name 'a-b' is not valid (use letters, digits and '_')"},
        {"field name empty", JsonTemplate{"{{seq}}", {{"", RandomInt{}}}},
         "json_template: field name '' is not valid (use letters, digits and '_')"},
        {"field name builtin", JsonTemplate{"{{ts_ms}}", {{"ts_ms", RandomInt{}}}},
         "json_template: field name 'ts_ms' is taken by a built-in placeholder (seq, ts_ms, ts_us)"},
        {"field twice", JsonTemplate{"{{a}}", {{"a", RandomInt{}}, {"a", Counter{}}}},
         "json_template: field 'a' is defined twice"},
        {"field unused", JsonTemplate{"{{a}}", {{"a", RandomInt{}}, {"b", Counter{}}}},
         "json_template: field 'b' is not used in the text"},
        {"field spec", JsonTemplate{"{{temp}}", {{"temp", RandomFloat{0, 1, 12}}}},
         "json_template field 'temp': random_float: decimals must be 0..9 (got 12)"},
        {"nested field spec", JsonTemplate{"{{outer}}", {{"outer", JsonTemplate{"[{{inner}}]", {{"inner", RandomInt{3, 2}}}}}}},
         "json_template field 'outer': json_template field 'inner': random_int: min (3) must not be greater than max (2)"},
        {"output bound", JsonTemplate{"[{{big}},{{big}}]", {{"big", Constant{std::string(2'000'000, 'x')}}}},
         "json_template: output could reach 24000007 bytes, over the limit of 16777216 (text inside a JSON string "
         "can grow 6x when escaped)"},
    });

    JsonTemplate too_many{"[]", {}};
    for (std::size_t i = 0; i <= max_template_fields; ++i) too_many.fields.push_back({"f" + std::to_string(i), Counter{}});
    expect_errors({{"field count", too_many, "json_template: 257 fields (limit 256)"}});
}

TEST(PayloadSpecError, PadToAndNesting) {
    expect_errors({
        {"size<0", PadTo{GeneratorSpec{Counter{}}, -1, ' '}, "pad_to: size must be 0..16777216 bytes (got -1)"},
        {"size big", PadTo{GeneratorSpec{Counter{}}, 16 * 1024 * 1024 + 1, ' '},
         "pad_to: size must be 0..16777216 bytes (got 16777217)"},
        {"fill control", PadTo{GeneratorSpec{Counter{}}, 10, '\n'},
         "pad_to: fill must be a printable ASCII character (got byte 10)"},
        {"fill high", PadTo{GeneratorSpec{Counter{}}, 10, '\xC3'},
         "pad_to: fill must be a printable ASCII character (got byte 195)"},
        {"inner", PadTo{GeneratorSpec{Sine{.period = 0}}, 10, ' '},
         "pad_to inner: sine: period must be at least 1 call (got 0)"},
    });

    GeneratorSpec deep = Counter{};
    for (std::size_t i = 0; i < max_nesting; ++i) deep = PadTo{deep, 1, ' '};
    EXPECT_NO_THROW(validate(deep));  // exactly max_nesting levels below the top
    deep = PadTo{deep, 1, ' '};
    std::string expected;
    for (std::size_t i = 0; i <= max_nesting; ++i) expected += "pad_to inner: ";
    expect_errors({{"nesting", deep, expected + "generators nested more than 16 levels deep"}});
}

}  // namespace
}  // namespace evsim::payload
