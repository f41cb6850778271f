// The cadences: exact gaps for fixed, rate and bursts; statistics and golden values for poisson;
// every validation message.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "evsim/core/cadence.hpp"

namespace evsim::cadence {
namespace {

using namespace std::chrono_literals;
using Gaps = std::vector<std::int64_t>;

Gaps gaps(const CadenceSpec& spec, std::size_t count, std::uint64_t seed = 0) {
    auto cadence = make_cadence(spec, seed);
    Gaps result;
    for (std::size_t i = 0; i < count; ++i) result.push_back(cadence->next_gap().count());
    return result;
}

TEST(FixedInterval, EveryGapIsTheInterval) {
    EXPECT_EQ(gaps(FixedInterval{3s}, 4), (Gaps{3'000'000'000, 3'000'000'000, 3'000'000'000, 3'000'000'000}));
    EXPECT_EQ(gaps(FixedInterval{1us}, 2), (Gaps{1000, 1000}));
    EXPECT_EQ(gaps(FixedInterval{}, 1), (Gaps{3'000'000'000}));  // the reference emitters' 3 s
}

TEST(Rate, WholeNanosecondPeriodsAreExact) {
    EXPECT_EQ(gaps(Rate{1000}, 3), (Gaps{1'000'000, 1'000'000, 1'000'000}));
    EXPECT_EQ(gaps(Rate{0.5}, 2), (Gaps{2'000'000'000, 2'000'000'000}));
    EXPECT_EQ(gaps(Rate{2.5}, 2), (Gaps{400'000'000, 400'000'000}));
    EXPECT_EQ(gaps(Rate{max_per_second}, 2), (Gaps{1000, 1000}));
}

TEST(Rate, FractionalPeriodsRoundEveryEmissionTime) {
    EXPECT_EQ(gaps(Rate{3}, 6), (Gaps{333'333'333, 333'333'334, 333'333'333, 333'333'333, 333'333'334, 333'333'333}));
    // Emission n is at round(n * 1e9 / rate) ns, computed here exactly in integers, for a million
    // emissions: the gaps never drift. (These rates never put n * 1e9 / rate exactly on a half.)
    for (const std::int64_t rate : {3, 7, 999'983}) {
        auto cadence = make_cadence(Rate{static_cast<double>(rate)});
        std::int64_t at = 0;
        for (std::int64_t n = 1; n <= 1'000'000; ++n) {
            at += cadence->next_gap().count();
            ASSERT_EQ(at, (n * 1'000'000'000 + rate / 2) / rate) << "rate " << rate << ", emission " << n;
        }
    }
}

TEST(Poisson, GoldenGapsAndSeedReproducibility) {
    EXPECT_EQ(gaps(Poisson{50}, 6, 1), (Gaps{2'874'559, 2'933'075, 12'000'967, 424'968, 8'643'312, 48'463'001}));
    EXPECT_EQ(gaps(Poisson{50}, 1000, 77), gaps(Poisson{50}, 1000, 77));
    EXPECT_NE(gaps(Poisson{50}, 1000, 77), gaps(Poisson{50}, 1000, 78));
}

TEST(Poisson, GapsAreExponentialWithTheRightMean) {
    for (const double rate : {50.0, 1.0, max_per_second}) {
        for (const std::uint64_t seed : {1U, 2U, 3U}) {
            const Gaps drawn = gaps(Poisson{rate}, 100'000, seed);
            const double mean = 1e9 / rate;
            double sum = 0;
            std::size_t above_mean = 0;
            for (const std::int64_t gap : drawn) {
                ASSERT_GE(gap, 0);
                sum += static_cast<double>(gap);
                if (static_cast<double>(gap) > mean) ++above_mean;
            }
            // The mean of 100k exponential gaps has a relative standard deviation of 0.32%: 2% is 6 of them.
            EXPECT_NEAR(sum / 100'000, mean, 0.02 * mean) << rate << " seed " << seed;
            // P(gap > mean) = 1/e for an exponential distribution (standard deviation 0.0015 here).
            EXPECT_NEAR(static_cast<double>(above_mean) / 100'000, std::exp(-1.0), 0.01) << rate << " seed " << seed;
        }
    }
}

TEST(Bursts, ExactPattern) {
    Gaps expected = {5'000'000'000};
    for (int burst = 0; burst < 2; ++burst) {
        for (int i = 0; i < 9; ++i) expected.push_back(10'000'000);
        expected.push_back(4'910'000'000);  // from the burst's last event (at 90 ms) to the next burst
    }
    EXPECT_EQ(gaps(Bursts{}, expected.size()), expected);  // 10 events in 100 ms every 5 s

    // Offsets floor(k * 100ms / 3): 0, 33333333, 66666666.
    EXPECT_EQ(gaps(Bursts{3, 100ms, 1s}, 7),
              (Gaps{1'000'000'000, 33'333'333, 33'333'333, 933'333'334, 33'333'333, 33'333'333, 933'333'334}));
    EXPECT_EQ(gaps(Bursts{4, 0ns, 1s}, 8), (Gaps{1'000'000'000, 0, 0, 0, 1'000'000'000, 0, 0, 0}));
}

TEST(Bursts, OneEventPerBurstIsAFixedInterval) {
    EXPECT_EQ(gaps(Bursts{1, 900ms, 2s}, 5), gaps(FixedInterval{2s}, 5));
}

TEST(Bursts, EveryBurstSpansExactlyEveryEvenAtTheLimits) {
    // A million events over 364 days: k * within overflows 64 bits if computed naively.
    const Bursts spec{max_burst_count, std::chrono::hours(24 * 364), max_interval};
    auto cadence = make_cadence(spec);
    cadence->next_gap();  // to the first burst
    std::int64_t previous_gap = -1;
    std::int64_t cycle = 0;
    for (std::int64_t i = 0; i < max_burst_count; ++i) {
        const std::int64_t gap = cadence->next_gap().count();
        ASSERT_GE(gap, 0);
        if (i < max_burst_count - 1) {  // inside the burst: evenly spaced to the nanosecond
            if (previous_gap >= 0) {
                ASSERT_LE(std::abs(gap - previous_gap), 1);
            }
            previous_gap = gap;
        }
        cycle += gap;
    }
    EXPECT_EQ(cycle, std::chrono::nanoseconds(max_interval).count());
}

struct ErrorCase {
    CadenceSpec spec;
    std::string message;
};

TEST(CadenceSpecError, EveryCheckWithItsMessage) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    constexpr double inf = std::numeric_limits<double>::infinity();
    const std::vector<ErrorCase> cases = {
        {FixedInterval{0ns}, "fixed_interval: interval must be at least 1us (got 0ns)"},
        {FixedInterval{999ns}, "fixed_interval: interval must be at least 1us (got 999ns)"},
        {FixedInterval{-1s}, "fixed_interval: interval must be at least 1us (got -1s)"},
        {FixedInterval{std::chrono::hours(24 * 366)}, "fixed_interval: interval must be at most a year (got 31622400s)"},
        {Rate{0}, "rate: per_second must be more than 0 and at most 1000000 (got 0)"},
        {Rate{-5}, "rate: per_second must be more than 0 and at most 1000000 (got -5)"},
        {Rate{nan}, "rate: per_second must be more than 0 and at most 1000000 (got nan)"},
        {Rate{inf}, "rate: per_second must be more than 0 and at most 1000000 (got inf)"},
        {Rate{1'000'001}, "rate: per_second must be more than 0 and at most 1000000 (got 1000001)"},
        {Rate{1e-9}, "rate: per_second must be at least one per year (got 1e-09)"},
        {Poisson{0}, "poisson: per_second must be more than 0 and at most 1000000 (got 0)"},
        {Poisson{2e6}, "poisson: per_second must be more than 0 and at most 1000000 (got 2e+06)"},
        {Poisson{1e-8}, "poisson: per_second must be at least one per year (got 1e-08)"},
        {Bursts{0, 100ms, 5s}, "bursts: count must be 1..1000000 (got 0)"},
        {Bursts{-3, 100ms, 5s}, "bursts: count must be 1..1000000 (got -3)"},
        {Bursts{1'000'001, 100ms, 5s}, "bursts: count must be 1..1000000 (got 1000001)"},
        {Bursts{10, 0ns, 0ns}, "bursts: every must be at least 1us (got 0ns)"},
        {Bursts{10, 100ms, std::chrono::hours(9000)}, "bursts: every must be at most a year (got 32400000s)"},
        {Bursts{10, -1ms, 5s}, "bursts: within must not be negative (got -1ms)"},
        {Bursts{10, 5s, 5s}, "bursts: within (5s) must be shorter than every (5s)"},
        {Bursts{10, 1500ms, 1s}, "bursts: within (1500ms) must be shorter than every (1s)"},
    };
    for (const ErrorCase& c : cases) {
        try {
            make_cadence(c.spec);
            ADD_FAILURE() << c.message << ": no SpecError";
        } catch (const SpecError& e) {
            EXPECT_EQ(std::string(e.what()), c.message);
        }
        EXPECT_THROW(validate(c.spec), SpecError) << c.message;
    }
}

TEST(CadenceSpecError, DefaultsAndLimitsAreValid) {
    for (const CadenceSpec& spec :
         {CadenceSpec{FixedInterval{}}, CadenceSpec{Rate{}}, CadenceSpec{Poisson{}}, CadenceSpec{Bursts{}},
          CadenceSpec{FixedInterval{min_interval}}, CadenceSpec{FixedInterval{max_interval}},
          CadenceSpec{Rate{min_per_second}}, CadenceSpec{Poisson{max_per_second}},
          CadenceSpec{Bursts{max_burst_count, 0ns, 1us}}}) {
        EXPECT_NO_THROW(validate(spec)) << spec.index();
    }
}

}  // namespace
}  // namespace evsim::cadence
