// The scalar generators: exact sequences for fixed seeds, and properties over many draws.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "evsim/core/payload.hpp"

namespace evsim::payload {
namespace {

std::vector<std::string> draw(const GeneratorSpec& spec, std::uint64_t seed, int count) {
    auto generator = make_generator(spec, seed);
    std::vector<std::string> values;
    for (int i = 0; i < count; ++i) {
        std::string value;
        generator->next(value);
        values.push_back(value);
    }
    return values;
}

double to_double(const std::string& text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    EXPECT_TRUE(error == std::errc() && end == text.data() + text.size()) << text;
    return value;
}

std::int64_t to_int(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    EXPECT_TRUE(error == std::errc() && end == text.data() + text.size()) << text;
    return value;
}

using Values = std::vector<std::string>;

// True when `text` is an optional '-', `min_digits` to `max_digits` digits, then (when `decimals` > 0)
// a point and exactly `decimals` digits: fixed-point, no exponent.
bool is_fixed(const std::string& text, std::size_t min_digits, std::size_t max_digits, std::size_t decimals) {
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t pos = text.starts_with('-') ? 1 : 0;
    const std::size_t int_begin = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    const std::size_t int_digits = pos - int_begin;
    if (int_digits < min_digits || int_digits > max_digits) return false;
    if (decimals == 0) return pos == text.size();
    if (pos >= text.size() || text[pos] != '.') return false;
    const std::string fraction = text.substr(pos + 1);
    return fraction.size() == decimals && std::all_of(fraction.begin(), fraction.end(), is_digit);
}

// Golden sequences, computed once. random_int's also equals producers::ValueSource(42): the same
// rejection sampling, so the reference emitters could switch to payload::RandomInt unchanged.
TEST(PayloadGolden, FixedSeedsGiveFixedSequences) {
    EXPECT_EQ(draw(RandomInt{}, 42, 12),
              (Values{"61", "34", "78", "53", "55", "45", "22", "20", "84", "37", "33", "87"}));
    EXPECT_EQ(draw(RandomFloat{}, 7, 8), (Values{"75.44", "94.93", "11.74", "89.19", "14.13", "5.51", "83.25", "90.07"}));
    EXPECT_EQ(draw(RandomWalk{}, 7, 8), (Values{"50.00", "50.51", "51.41", "50.64", "51.43", "50.71", "49.82", "50.48"}));
    EXPECT_EQ(draw(RandomInt{std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}, 1, 2),
              (Values{"-6753783847308464280", "-6707106347154343346"}));
    // A span of 2^63 rejects half the engine's draws (here the 6th, 9th and 10th): pins the rejection.
    EXPECT_EQ(draw(RandomInt{0, std::numeric_limits<std::int64_t>::max()}, 1, 8),
              (Values{"2469588189546311528", "2516265689700432462", "8323445853463659930", "387828560950575246",
                      "6472927700900931384", "8683844110200328628", "1372899666868390665", "1650120169738923776"}));
}

TEST(PayloadGolden, SameSeedSameSequenceOtherSeedOtherSequence) {
    for (const GeneratorSpec& spec : {GeneratorSpec{RandomInt{}}, GeneratorSpec{RandomFloat{}}, GeneratorSpec{RandomWalk{}}}) {
        EXPECT_EQ(draw(spec, 123, 50), draw(spec, 123, 50));
        EXPECT_NE(draw(spec, 123, 50), draw(spec, 124, 50));
    }
}

TEST(PayloadGenerator, NextAppendsWithoutClearing) {
    auto generator = make_generator(Counter{7, 1}, 0);
    std::string out = "x=";
    generator->next(out);
    out += ',';
    generator->next(out);
    EXPECT_EQ(out, "x=7,8");
}

TEST(RandomInt, StaysInRangeAndHitsBothEnds) {
    const Values values = draw(RandomInt{}, 1, 100'000);
    std::set<std::int64_t> seen;
    for (const std::string& text : values) {
        const std::int64_t value = to_int(text);
        ASSERT_GE(value, 10);
        ASSERT_LE(value, 98);
        seen.insert(value);
    }
    EXPECT_EQ(seen.size(), 89U);  // every value, both ends included

    std::set<std::int64_t> small;
    for (const std::string& text : draw(RandomInt{-3, 3}, 2, 1000)) small.insert(to_int(text));
    EXPECT_EQ(small, (std::set<std::int64_t>{-3, -2, -1, 0, 1, 2, 3}));
}

TEST(RandomInt, SingleValueRange) {
    EXPECT_EQ(draw(RandomInt{5, 5}, 9, 3), (Values{"5", "5", "5"}));
    const auto low = std::numeric_limits<std::int64_t>::min();
    EXPECT_EQ(draw(RandomInt{low, low}, 9, 1), (Values{"-9223372036854775808"}));
}

TEST(RandomFloat, StaysInRangeWithTheMeanInTheMiddle) {
    const Values values = draw(RandomFloat{-10, 30, 3}, 3, 100'000);
    double sum = 0;
    for (const std::string& text : values) {
        ASSERT_TRUE(is_fixed(text, 1, 2, 3)) << text;
        const double value = to_double(text);
        ASSERT_GE(value, -10);
        ASSERT_LE(value, 30);
        sum += value;
    }
    // The standard deviation of the mean is 40 / sqrt(12 * 100000) = 0.037: 0.2 is over 5 of them.
    EXPECT_NEAR(sum / static_cast<double>(values.size()), 10.0, 0.2);
}

TEST(RandomFloat, FixedDecimalsNoExponentNoNegativeZero) {
    ASSERT_TRUE(is_fixed("-0.50", 1, 1, 2));  // the checker itself
    ASSERT_FALSE(is_fixed("1e+15", 1, 16, 0));
    ASSERT_FALSE(is_fixed("1.5", 1, 1, 2));
    ASSERT_FALSE(is_fixed("1.500", 1, 1, 2));
    for (const std::string& text : draw(RandomFloat{0, 100, 0}, 4, 1000)) {
        ASSERT_TRUE(is_fixed(text, 1, 3, 0) && !text.starts_with('-')) << text;
    }
    for (const std::string& text : draw(RandomFloat{1e14, 1e15, 9}, 4, 1000)) {
        ASSERT_TRUE(is_fixed(text, 15, 16, 9) && !text.starts_with('-')) << text;
    }
    for (const std::string& text : draw(RandomFloat{-1e-7, 1e-7, 2}, 4, 1000)) ASSERT_EQ(text, "0.00");
    EXPECT_EQ(draw(RandomFloat{2.5, 2.5, 1}, 4, 2), (Values{"2.5", "2.5"}));
}

TEST(RandomWalk, StartsAtStartStaysInBoundsAndMovesAtMostStep) {
    const RandomWalk spec{.start = 0.5, .step = 0.25, .min = 0, .max = 1, .decimals = 9};
    const Values values = draw(spec, 5, 100'000);
    EXPECT_EQ(values.front(), "0.500000000");
    bool touched_min = false;
    bool touched_max = false;
    double previous = 0.5;
    for (const std::string& text : values) {
        const double value = to_double(text);
        ASSERT_GE(value, 0);
        ASSERT_LE(value, 1);
        // Printing rounds to 1e-9, so two printed values can differ by step plus that rounding.
        ASSERT_LE(std::fabs(value - previous), 0.25 + 1e-9) << text;
        touched_min = touched_min || value == 0;
        touched_max = touched_max || value == 1;
        previous = value;
    }
    EXPECT_TRUE(touched_min && touched_max);  // a narrow range makes the walk hit both clamps
}

TEST(Sine, ExactValuesOverOnePeriod) {
    const Sine spec{.amplitude = 10, .offset = 50, .period = 4, .decimals = 2, .phase = 0};
    EXPECT_EQ(draw(spec, 0, 8), (Values{"50.00", "60.00", "50.00", "40.00", "50.00", "60.00", "50.00", "40.00"}));
    Sine peak = spec;
    peak.phase = 0.25;  // a quarter of a cycle: starts at the peak
    EXPECT_EQ(draw(peak, 0, 4), (Values{"60.00", "50.00", "40.00", "50.00"}));
    EXPECT_EQ(draw(Sine{}, 0, 4), (Values{"0.000", "0.105", "0.208", "0.309"}));
}

TEST(Sine, ReachesBothExtremesAndRepeatsExactly) {
    const Sine spec{.amplitude = 3, .offset = -1, .period = 360, .decimals = 6, .phase = 0.1};
    const Values values = draw(spec, 0, 360 * 3);
    double low = 1e9;
    double high = -1e9;
    double sum = 0;
    for (std::size_t i = 0; i < 360; ++i) {
        const double value = to_double(values[i]);
        low = std::min(low, value);
        high = std::max(high, value);
        sum += value;
        ASSERT_EQ(values[i], values[i + 360]);
        ASSERT_EQ(values[i], values[i + 720]);
    }
    EXPECT_DOUBLE_EQ(low, -4);
    EXPECT_DOUBLE_EQ(high, 2);
    EXPECT_NEAR(sum / 360, -1, 1e-6);  // a whole cycle averages to the offset
}

TEST(Sine, PeriodOfOneIsConstant) {
    EXPECT_EQ(draw(Sine{.amplitude = 5, .offset = 1, .period = 1, .decimals = 1, .phase = 0.25}, 0, 3),
              (Values{"6.0", "6.0", "6.0"}));
}

TEST(Counter, CountsBySteps) {
    EXPECT_EQ(draw(Counter{}, 0, 4), (Values{"0", "1", "2", "3"}));
    EXPECT_EQ(draw(Counter{5, 3}, 0, 4), (Values{"5", "8", "11", "14"}));
    EXPECT_EQ(draw(Counter{2, -2}, 0, 4), (Values{"2", "0", "-2", "-4"}));
    EXPECT_EQ(draw(Counter{9, 0}, 0, 2), (Values{"9", "9"}));
}

TEST(Counter, WrapsAroundAtTheInt64Limits) {
    const auto top = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(draw(Counter{top - 1, 1}, 0, 3), (Values{"9223372036854775806", "9223372036854775807", "-9223372036854775808"}));
}

TEST(Constant, SameTextEveryTime) {
    EXPECT_EQ(draw(Constant{"h\xC3\xA9llo"}, 0, 2), (Values{"h\xC3\xA9llo", "h\xC3\xA9llo"}));
    EXPECT_EQ(draw(Constant{}, 0, 1), (Values{""}));
}

TEST(PayloadGenerator, KindsAndSizeBounds) {
    const std::vector<std::pair<GeneratorSpec, ValueKind>> cases = {
        {RandomInt{std::numeric_limits<std::int64_t>::min(), 0}, ValueKind::number},
        {RandomFloat{-1e15, 1e15, 9}, ValueKind::number},
        {RandomWalk{.start = -1e15, .step = 1e15, .min = -1e15, .max = 1e15, .decimals = 9}, ValueKind::number},
        {Sine{.amplitude = 1e15, .offset = -1e15, .period = 7, .decimals = 9, .phase = 0}, ValueKind::number},
        {Counter{std::numeric_limits<std::int64_t>::min(), -1}, ValueKind::number},
        {Constant{"abc"}, ValueKind::text},
        {JsonTemplate{R"({"a":{{a}}})", {{"a", Constant{"x"}}}}, ValueKind::json},
        {PadTo{GeneratorSpec{Constant{"abc"}}, 8, '.'}, ValueKind::text},
    };
    for (const auto& [spec, kind] : cases) {
        auto generator = make_generator(spec, 11);
        EXPECT_EQ(generator->kind(), kind);
        for (int i = 0; i < 1000; ++i) {
            std::string out;
            generator->next(out);
            ASSERT_LE(out.size(), generator->max_size()) << out;
        }
    }
}

TEST(PayloadSpec, DefaultsAreValidExceptAnEmptyTemplate) {
    for (const GeneratorSpec& spec : {GeneratorSpec{RandomInt{}}, GeneratorSpec{RandomFloat{}}, GeneratorSpec{RandomWalk{}},
                                      GeneratorSpec{Sine{}}, GeneratorSpec{Counter{}}, GeneratorSpec{Constant{}},
                                      GeneratorSpec{PadTo{}}}) {
        EXPECT_NO_THROW(validate(spec)) << spec.index();
    }
    EXPECT_THROW(validate(JsonTemplate{}), SpecError);
}

TEST(PayloadSpec, NestedSpecCopiesAreDeep) {
    PadTo original;
    original.inner = Constant{"a"};  // a spec struct converts to NestedSpec directly
    PadTo copy = original;
    std::get<Constant>(copy.inner.get()).text = "b";
    EXPECT_EQ(std::get<Constant>(original.inner.get()).text, "a");
    copy = original;
    EXPECT_EQ(std::get<Constant>(copy.inner.get()).text, "a");
    EXPECT_TRUE(std::holds_alternative<RandomInt>(PadTo{}.inner.get()));

    // Specs nest through plain aggregate initialisation.
    const GeneratorSpec nested = PadTo{JsonTemplate{"[{{c}}]", {{"c", PadTo{Counter{}, 3, '.'}}}}, 8, '_'};
    EXPECT_EQ(draw(nested, 0, 2), (Values{"[\"0..\"]_", "[\"1..\"]_"}));
}

}  // namespace
}  // namespace evsim::payload
