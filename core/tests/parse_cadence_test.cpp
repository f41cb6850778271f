// parse_cadence: every form, and every error with its message.
#include <gtest/gtest.h>

#include <string>

#include "evsim/core/cadence.hpp"

namespace evsim::cadence {
namespace {

using namespace std::chrono_literals;

const std::string forms = " (forms: every 3s, rate 100/s, poisson 50/s, burst 10 in 100ms every 5s)";

std::chrono::nanoseconds interval_of(std::string_view text) { return std::get<FixedInterval>(parse_cadence(text)).interval; }
double rate_of(std::string_view text) { return std::get<Rate>(parse_cadence(text)).per_second; }

TEST(ParseCadence, Every) {
    EXPECT_EQ(interval_of("every 3s"), 3s);
    EXPECT_EQ(interval_of("every 250ms"), 250ms);
    EXPECT_EQ(interval_of("every 500"), 500ms);  // a bare number is milliseconds, as in --interval
    EXPECT_EQ(interval_of("  every\t 1.5s  "), 1500ms);
    EXPECT_EQ(interval_of("every 100us"), 100us);
    EXPECT_EQ(interval_of("every 2m"), 120s);
}

TEST(ParseCadence, RateAndPoisson) {
    EXPECT_EQ(rate_of("rate 100/s"), 100);
    EXPECT_EQ(rate_of("rate 2.5/s"), 2.5);
    EXPECT_EQ(rate_of("rate 90/m"), 1.5);
    EXPECT_EQ(rate_of("rate 90/min"), 1.5);
    EXPECT_EQ(rate_of("rate 36/h"), 0.01);
    EXPECT_EQ(rate_of("rate 1000000/s"), 1e6);
    EXPECT_EQ(rate_of("rate 1/h"), 1.0 / 3600);
    EXPECT_EQ(std::get<Poisson>(parse_cadence("poisson 50/s")).per_second, 50);
    EXPECT_EQ(std::get<Poisson>(parse_cadence("poisson 0.5/s")).per_second, 0.5);
}

TEST(ParseCadence, Burst) {
    const auto burst = std::get<Bursts>(parse_cadence("burst 10 in 100ms every 5s"));
    EXPECT_EQ(burst.count, 10);
    EXPECT_EQ(burst.within, 100ms);
    EXPECT_EQ(burst.every, 5s);
    const auto at_once = std::get<Bursts>(parse_cadence("burst  3 in 0 every 1s"));
    EXPECT_EQ(at_once.count, 3);
    EXPECT_EQ(at_once.within, 0ns);
    EXPECT_EQ(at_once.every, 1s);
}

TEST(ParseCadence, ParsedSpecsBuild) {
    for (const char* text : {"every 3s", "rate 100/s", "poisson 50/s", "burst 10 in 100ms every 5s"}) {
        auto cadence = make_cadence(parse_cadence(text), 1);
        EXPECT_GE(cadence->next_gap().count(), 0) << text;
    }
}

void expect_error(std::string_view text, const std::string& message) {
    try {
        parse_cadence(text);
        ADD_FAILURE() << "'" << text << "' parsed";
    } catch (const SpecError& e) {
        EXPECT_EQ(std::string(e.what()), message);
    }
}

TEST(ParseCadenceError, Syntax) {
    expect_error("", "invalid cadence '': empty" + forms);
    expect_error(" \t ", "invalid cadence ' \t ': empty" + forms);
    expect_error("often", "invalid cadence 'often': unknown cadence 'often'" + forms);
    expect_error("Every 3s", "invalid cadence 'Every 3s': unknown cadence 'Every'" + forms);
    expect_error("every", "invalid cadence 'every': expected 'every DURATION'" + forms);
    expect_error("every 3s 4s", "invalid cadence 'every 3s 4s': expected 'every DURATION'" + forms);
    expect_error("rate", "invalid cadence 'rate': expected 'rate NUMBER/s'" + forms);
    expect_error("poisson 5/s 6/s", "invalid cadence 'poisson 5/s 6/s': expected 'poisson NUMBER/s'" + forms);
    expect_error("rate 100", "invalid cadence 'rate 100': expected a rate like 100/s, 90/m or 10/h (got '100')" + forms);
    expect_error("rate 1e3/s", "invalid cadence 'rate 1e3/s': '1e3' is not a number" + forms);
    expect_error("rate inf/s", "invalid cadence 'rate inf/s': 'inf' is not a number" + forms);
    expect_error("rate -1/s", "invalid cadence 'rate -1/s': '-1' is not a number" + forms);
    expect_error("rate /s", "invalid cadence 'rate /s': '' is not a number" + forms);
    expect_error("rate 1..2/s", "invalid cadence 'rate 1..2/s': '1..2' is not a number" + forms);
    expect_error("rate 100/d", "invalid cadence 'rate 100/d': unknown rate unit '/d' (use /s, /m or /h)" + forms);
    expect_error("rate 100/", "invalid cadence 'rate 100/': unknown rate unit '/' (use /s, /m or /h)" + forms);
    const std::string burst_form = "expected 'burst COUNT in DURATION every DURATION'";
    expect_error("burst 10 in 100ms", "invalid cadence 'burst 10 in 100ms': " + burst_form + forms);
    expect_error("burst 10 over 100ms every 5s", "invalid cadence 'burst 10 over 100ms every 5s': " + burst_form + forms);
    expect_error("burst 10 in 100ms each 5s", "invalid cadence 'burst 10 in 100ms each 5s': " + burst_form + forms);
    expect_error("burst ten in 1s every 5s",
                 "invalid cadence 'burst ten in 1s every 5s': burst count 'ten' is not a whole number" + forms);
    expect_error("burst -1 in 1s every 5s",
                 "invalid cadence 'burst -1 in 1s every 5s': burst count '-1' is not a whole number" + forms);
    expect_error("burst 99999999999999999999 in 1s every 5s",
                 "invalid cadence 'burst 99999999999999999999 in 1s every 5s': burst count '99999999999999999999' is "
                 "not a whole number" +
                     forms);
}

TEST(ParseCadenceError, BadDurationsKeepTheirOwnMessage) {
    expect_error("every 3x",
                 "invalid cadence 'every 3x': invalid duration '3x': unknown unit 'x' (use us, ms, s, m or h) "
                 "(examples: 250ms, 3s, 1.5s, 2m, 1h)");
    expect_error("burst 10 in 1s every 9999999h",
                 "invalid cadence 'burst 10 in 1s every 9999999h': invalid duration '9999999h': longer than a year "
                 "(examples: 250ms, 3s, 1.5s, 2m, 1h)");
}

TEST(ParseCadenceError, ValuesAreValidated) {
    expect_error("every 0s", "invalid cadence 'every 0s': fixed_interval: interval must be at least 1us (got 0ns)");
    expect_error("rate 0/s", "invalid cadence 'rate 0/s': rate: per_second must be more than 0 and at most 1000000 (got 0)");
    expect_error("poisson 2000000/s",
                 "invalid cadence 'poisson 2000000/s': poisson: per_second must be more than 0 and at most 1000000 "
                 "(got 2e+06)");
    expect_error("rate 0.0001/h",
                 "invalid cadence 'rate 0.0001/h': rate: per_second must be at least one per year (got 2.777777777777778e-08)");
    expect_error("burst 0 in 1s every 5s", "invalid cadence 'burst 0 in 1s every 5s': bursts: count must be 1..1000000 (got 0)");
    expect_error("burst 10 in 5s every 5s",
                 "invalid cadence 'burst 10 in 5s every 5s': bursts: within (5s) must be shorter than every (5s)");
}

}  // namespace
}  // namespace evsim::cadence
