#include "evsim/loadgen/results.hpp"

#include <gtest/gtest.h>

#include "evsim/loadgen/report.hpp"

namespace evsim::loadgen {
namespace {

Results sample_results() {
    Results r;
    r.scenario = "s.yaml";
    r.elapsed_s = 10;
    r.planned_s = 10;
    r.metrics.vus_started = 5;
    r.metrics.connect_attempts = 200;
    r.metrics.connect_failures = 2;
    r.metrics.events = 1000;
    r.metrics.stamped = 900;
    r.metrics.lost = 100;
    r.metrics.failures["sse.network"] = 2;
    for (std::uint64_t v = 1; v <= 1000; ++v) r.metrics.latency.record(v * 100);  // 100us .. 100ms
    r.metrics.fetch_latency.record(2500);
    r.peak_vus = 5;
    r.series.push_back(Sample{1.0, 1.0, 100, 2000, 3, 5, 10, 0, 500, 900, 990, 1000, 77});
    return r;
}

TEST(Metrics, NamesHaveKinds) {
    EXPECT_EQ(metric_kind("latency.p99"), MetricKind::duration);
    EXPECT_EQ(metric_kind("latency.p99.9"), MetricKind::duration);
    EXPECT_EQ(metric_kind("fetch.latency.max"), MetricKind::duration);
    EXPECT_EQ(metric_kind("connect.failed.rate"), MetricKind::rate);
    EXPECT_EQ(metric_kind("events.lost"), MetricKind::count);
    EXPECT_FALSE(metric_kind("latency.p101"));
    EXPECT_FALSE(metric_kind("latency.q99"));
    EXPECT_FALSE(metric_kind("latency"));
    EXPECT_FALSE(metric_kind("nonsense"));
}

TEST(Metrics, ValuesComeFromTheResults) {
    const Results r = sample_results();
    EXPECT_NEAR(*metric_value(r, "latency.p99"), 99'000, 99);  // within the histogram's precision
    EXPECT_EQ(*metric_value(r, "latency.max"), 100'000);
    EXPECT_EQ(*metric_value(r, "latency.min"), 100);
    EXPECT_DOUBLE_EQ(*metric_value(r, "connect.failed.rate"), 0.01);
    EXPECT_DOUBLE_EQ(*metric_value(r, "events.lost.rate"), 0.1);  // 100 of 1000 expected
    EXPECT_DOUBLE_EQ(*metric_value(r, "events.per_second"), 100);
    EXPECT_EQ(*metric_value(r, "vus.max"), 5);
    EXPECT_FALSE(metric_value(r, "nonsense"));
}

TEST(Metrics, ThresholdUnitsMustFitTheMetric) {
    EXPECT_EQ(check_threshold(threshold::parse("latency.p99 < 50ms")), "");
    EXPECT_EQ(check_threshold(threshold::parse("connect.failed.rate < 1%")), "");
    EXPECT_EQ(check_threshold(threshold::parse("connect.failed.rate < 0.01")), "");
    EXPECT_EQ(check_threshold(threshold::parse("events.lost == 0")), "");
    EXPECT_NE(check_threshold(threshold::parse("latency.p99 < 50")), "");      // no unit on a time
    EXPECT_NE(check_threshold(threshold::parse("events.lost < 5ms")), "");     // a unit on a count
    EXPECT_NE(check_threshold(threshold::parse("events.lost < 5%")), "");      // a percent on a count
    EXPECT_NE(check_threshold(threshold::parse("latncy.p99 < 5ms")).find("unknown metric"), std::string::npos);
}

TEST(Metrics, ThresholdsAreEvaluated) {
    scenario::LoadSpec load;
    load.thresholds.push_back({threshold::parse("latency.p99 < 50ms"), 1, 1});
    load.thresholds.push_back({threshold::parse("events.lost == 0"), 2, 1});
    Results r = sample_results();
    evaluate_thresholds(load, r);
    ASSERT_EQ(r.thresholds.size(), 2u);
    EXPECT_FALSE(r.thresholds[0].passed);  // p99 is 99 ms
    EXPECT_FALSE(r.thresholds[1].passed);  // 100 lost
    EXPECT_FALSE(r.passed());
    r.metrics.lost = 0;
    r.metrics.latency.reset();
    r.metrics.latency.record(1000);
    evaluate_thresholds(load, r);
    EXPECT_TRUE(r.passed());
}

TEST(ResultsJson, RoundTripsExactly) {
    Results r = sample_results();
    r.thresholds.push_back({"events.lost == 0", false, "events.lost == 0: 100 (breached)"});
    const Results back = results_from_json(to_json(r));
    EXPECT_EQ(back.scenario, "s.yaml");
    EXPECT_EQ(back.metrics.connect_attempts, 200u);
    EXPECT_EQ(back.metrics.failures.at("sse.network"), 2u);
    EXPECT_EQ(back.metrics.latency.buckets(), r.metrics.latency.buckets());
    EXPECT_EQ(back.metrics.latency.value_at_percentile(99), r.metrics.latency.value_at_percentile(99));
    ASSERT_EQ(back.series.size(), 1u);
    EXPECT_EQ(back.series[0].latency_p99, 990u);
    EXPECT_EQ(back.series[0].fetch_p99, 77u);
    ASSERT_EQ(back.thresholds.size(), 1u);
    EXPECT_FALSE(back.thresholds[0].passed);
    EXPECT_EQ(to_json(back).size(), to_json(r).size());
}

TEST(ResultsJson, BadInputIsRejectedWithAReason) {
    EXPECT_THROW(results_from_json("not json"), std::invalid_argument);
    EXPECT_THROW(results_from_json("{}"), std::invalid_argument);
    EXPECT_THROW(results_from_json(R"({"format":"something else"})"), std::invalid_argument);
    std::string text = to_json(sample_results());
    // A negative counter, a bucket index out of range, a missing histogram.
    auto broken = [&](const std::string& from, const std::string& to) {
        std::string copy = text;
        const auto at = copy.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        copy.replace(at, from.size(), to);
        return copy;
    };
    EXPECT_THROW(results_from_json(broken("\"vus_started\":5", "\"vus_started\":-5")), std::invalid_argument);
    EXPECT_THROW(results_from_json(broken("\"buckets\":[[", "\"buckets\":[[99999999,1],[")), std::invalid_argument);
    EXPECT_THROW(results_from_json(broken("\"latency_us\"", "\"latency\"")), std::invalid_argument);
    std::string deep(100, '[');
    EXPECT_THROW(results_from_json(deep), std::invalid_argument);
}

TEST(ResultsMerge, CountersAndHistogramsAdd) {
    Results a = sample_results();
    const Results b = sample_results();
    merge_results(a, b);
    EXPECT_EQ(a.metrics.connect_attempts, 400u);
    EXPECT_EQ(a.metrics.latency.count(), 2000u);
    EXPECT_EQ(a.metrics.failures.at("sse.network"), 4u);
    EXPECT_EQ(a.peak_vus, 10);
    EXPECT_EQ(a.series[0].events, 200u);
    EXPECT_EQ(a.elapsed_s, 10);
}

TEST(Report, SummaryAndJUnitSayWhatHappened) {
    Results r = sample_results();
    r.thresholds.push_back({"events.lost == 0", false, "events.lost == 0: 100 (breached)"});
    r.thresholds.push_back({"latency.p99 < 1s", true, "latency.p99 < 1s: 99ms"});
    const std::string summary = format_summary(r);
    EXPECT_NE(summary.find("FAIL  events.lost == 0"), std::string::npos);
    EXPECT_NE(summary.find("result: FAIL (1 of 2 thresholds passed)"), std::string::npos);
    EXPECT_NE(summary.find("sse.network 2"), std::string::npos);
    const std::string junit = to_junit(r);
    EXPECT_NE(junit.find("tests=\"2\" failures=\"1\""), std::string::npos);
    EXPECT_NE(junit.find("name=\"latency.p99 &lt; 1s\""), std::string::npos);
    EXPECT_EQ(format_micros(850), "850us");
    EXPECT_EQ(format_micros(1500), "1.5ms");
    EXPECT_EQ(format_micros(2'500'000), "2.50s");
}

TEST(Report, HtmlIsSelfContainedAndChartsTheRun) {
    Results r = sample_results();
    r.scenario = "a<b>.yaml";
    r.thresholds.push_back({"latency.p99 < 1s", true, "latency.p99 < 1s: 99ms"});
    for (int i = 2; i <= 5; ++i) r.series.push_back(Sample{double(i), 1.0, 100u * i, 0, 0, 5, 10, 0, 500, 900, 990, 1000, 0});
    const std::string html = to_html(r);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("http"), std::string::npos);  // nothing fetched
    EXPECT_NE(html.find("a&lt;b&gt;.yaml"), std::string::npos);  // escaped
    EXPECT_EQ(html.find("a<b>"), std::string::npos);
    std::size_t charts = 0;
    for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++charts;
    EXPECT_EQ(charts, 4u);
    EXPECT_NE(html.find("<polyline"), std::string::npos);
    EXPECT_NE(html.find("99.999"), std::string::npos);  // the distribution's axis
    // An empty run still renders (charts say there is no data).
    const std::string empty = to_html(Results{});
    EXPECT_NE(empty.find("no data"), std::string::npos);
}

}  // namespace
}  // namespace evsim::loadgen
