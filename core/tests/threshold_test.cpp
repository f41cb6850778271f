// Thresholds: the forms a scenario writes, units, every comparison, and mistakes with their column.
#include <gtest/gtest.h>

#include <cmath>

#include "evsim/core/threshold.hpp"

namespace th = evsim::threshold;

TEST(ThresholdTest, ParsesMetricComparisonAndValueWithUnits) {
    auto t = th::parse("latency.p99 < 50ms");
    EXPECT_EQ(t.metric, "latency.p99");
    EXPECT_EQ(t.op, th::Op::less);
    EXPECT_EQ(t.value, 50'000);  // microseconds
    EXPECT_EQ(t.unit, th::Unit::duration);
    EXPECT_EQ(t.text, "latency.p99 < 50ms");

    t = th::parse("  events.lost==0 ");
    EXPECT_EQ(t.metric, "events.lost");
    EXPECT_EQ(t.op, th::Op::equal);
    EXPECT_EQ(t.value, 0);
    EXPECT_EQ(t.unit, th::Unit::none);

    t = th::parse("connect.failed.rate <= 1%");
    EXPECT_EQ(t.op, th::Op::less_equal);
    EXPECT_DOUBLE_EQ(t.value, 0.01);
    EXPECT_EQ(t.unit, th::Unit::percent);

    t = th::parse("latency.p99.9 >= 1.5s");
    EXPECT_EQ(t.metric, "latency.p99.9");
    EXPECT_EQ(t.op, th::Op::greater_equal);
    EXPECT_EQ(t.value, 1'500'000);

    EXPECT_EQ(th::parse("events.received > 1e6").value, 1e6);
    EXPECT_EQ(th::parse("x != -2").op, th::Op::not_equal);
    EXPECT_EQ(th::parse("x > 3").op, th::Op::greater);
}

TEST(ThresholdTest, EvaluatesEveryComparison) {
    EXPECT_TRUE(th::evaluate(th::parse("latency.p99 < 50ms"), 12'300).passed);
    EXPECT_FALSE(th::evaluate(th::parse("latency.p99 < 50ms"), 50'000).passed);
    EXPECT_TRUE(th::evaluate(th::parse("latency.p99 <= 50ms"), 50'000).passed);
    EXPECT_TRUE(th::evaluate(th::parse("events.received > 10"), 11).passed);
    EXPECT_FALSE(th::evaluate(th::parse("events.received >= 10"), 9).passed);
    EXPECT_TRUE(th::evaluate(th::parse("events.lost == 0"), 0).passed);
    EXPECT_FALSE(th::evaluate(th::parse("events.lost != 0"), 0).passed);
    EXPECT_FALSE(th::evaluate(th::parse("events.lost == 0"), std::nan("")).passed);  // no value never passes
}

TEST(ThresholdTest, MessagesShowTheObservedValueInTheThresholdsUnit) {
    EXPECT_EQ(th::evaluate(th::parse("latency.p99 < 50ms"), 12'300).message, "latency.p99 < 50ms: 12.3ms");
    EXPECT_EQ(th::evaluate(th::parse("latency.p50 < 1ms"), 850).message, "latency.p50 < 1ms: 850us");
    EXPECT_EQ(th::evaluate(th::parse("connect.failed.rate < 1%"), 0.025).message,
              "connect.failed.rate < 1%: 2.5% (breached)");
    EXPECT_EQ(th::evaluate(th::parse("events.lost == 0"), 3).message, "events.lost == 0: 3 (breached)");
    EXPECT_EQ(th::evaluate(th::parse("events.lost == 0"), std::nan("")).message,
              "events.lost == 0: no value (breached)");
}

TEST(ThresholdTest, MistakesNameTheColumn) {
    const auto error = [](const char* text) {
        try {
            th::parse(text);
        } catch (const th::SpecError& e) {
            return std::to_string(e.column()) + ": " + e.what();
        }
        return std::string("accepted");
    };
    EXPECT_EQ(error(""), "1: expected a metric name like latency.p99");
    EXPECT_EQ(error("< 5"), "1: expected a metric name like latency.p99");
    EXPECT_EQ(error("latency.p99 = 5ms"), "13: expected a comparison (<, <=, >, >=, ==, !=) after 'latency.p99'");
    EXPECT_EQ(error("latency.p99 <"), "14: expected a value after '<'");
    EXPECT_EQ(error("latency.p99 < fast"), "15: 'fast' is not a number, a duration (50ms, 2s) or a percentage (1%)");
    EXPECT_EQ(error("rate < x%"), "8: 'x%' is not a percentage like 1% or 0.5%");
    EXPECT_EQ(error("latency. < 5"), "1: metric 'latency.' has an empty part");
    EXPECT_EQ(error("a..b < 5"), "1: metric 'a..b' has an empty part");
    EXPECT_EQ(error("x < 5 6"), "5: '5 6' is not a number, a duration (50ms, 2s) or a percentage (1%)");
}
