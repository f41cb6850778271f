#include "evsim/loadgen/results.hpp"

#include <charconv>
#include <cmath>
#include <functional>

namespace evsim::loadgen {

namespace {

struct HistogramMetric {
    std::string_view name;
    LatencyHistogram Metrics::*member;
};

constexpr HistogramMetric kHistograms[] = {
    {"latency", &Metrics::latency},
    {"fetch.latency", &Metrics::fetch_latency},
    {"connect.time", &Metrics::connect_time},
    {"first_event", &Metrics::first_event},
    {"reconnect.time", &Metrics::reconnect_time},
    {"pool.wait", &Metrics::pool_wait},
    {"schedule.lag", &Metrics::schedule_lag},
};

double ratio(std::uint64_t part, std::uint64_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

struct ScalarMetric {
    std::string_view name;
    MetricKind kind;
    std::function<double(const Results&)> value;
};

double count(std::uint64_t value) { return static_cast<double>(value); }

const std::vector<ScalarMetric>& scalars() {
    static const std::vector<ScalarMetric> list = {
        {"vus.started", MetricKind::count, [](const Results& r) { return count(r.metrics.vus_started); }},
        {"vus.max", MetricKind::count, [](const Results& r) { return static_cast<double>(r.peak_vus); }},
        {"arrivals.dropped", MetricKind::count, [](const Results& r) { return count(r.dropped_arrivals); }},
        {"connect.attempted", MetricKind::count, [](const Results& r) { return count(r.metrics.connect_attempts); }},
        {"connect.opened", MetricKind::count, [](const Results& r) { return count(r.metrics.connects); }},
        {"connect.failed", MetricKind::count, [](const Results& r) { return count(r.metrics.connect_failures); }},
        {"connect.failed.rate", MetricKind::rate,
         [](const Results& r) { return ratio(r.metrics.connect_failures, r.metrics.connect_attempts); }},
        {"connections.open.max", MetricKind::count, [](const Results& r) { return static_cast<double>(r.peak_open); }},
        {"disconnects", MetricKind::count, [](const Results& r) { return count(r.metrics.disconnects); }},
        {"reconnects", MetricKind::count, [](const Results& r) { return count(r.metrics.reconnects); }},
        {"events.received", MetricKind::count, [](const Results& r) { return count(r.metrics.events); }},
        {"events.per_second", MetricKind::count,
         [](const Results& r) { return r.elapsed_s > 0 ? static_cast<double>(r.metrics.events) / r.elapsed_s : 0.0; }},
        {"events.stamped", MetricKind::count, [](const Results& r) { return count(r.metrics.stamped); }},
        {"events.lost", MetricKind::count, [](const Results& r) { return count(r.metrics.lost); }},
        {"events.lost.rate", MetricKind::rate,
         [](const Results& r) {
             const auto& m = r.metrics;
             const std::uint64_t unique = m.stamped >= m.duplicates ? m.stamped - m.duplicates : 0;
             return ratio(m.lost, unique + m.lost);
         }},
        {"events.duplicated", MetricKind::count, [](const Results& r) { return count(r.metrics.duplicates); }},
        {"events.reordered", MetricKind::count, [](const Results& r) { return count(r.metrics.reordered); }},
        {"bytes.received", MetricKind::count, [](const Results& r) { return count(r.metrics.bytes); }},
        {"fetch.requests", MetricKind::count, [](const Results& r) { return count(r.metrics.fetch_requests); }},
        {"fetch.failed", MetricKind::count, [](const Results& r) { return count(r.metrics.fetch_failures); }},
        {"fetch.failed.rate", MetricKind::rate,
         [](const Results& r) { return ratio(r.metrics.fetch_failures, r.metrics.fetch_requests); }},
        {"file.reads", MetricKind::count, [](const Results& r) { return count(r.metrics.file_reads); }},
        {"file.torn", MetricKind::count, [](const Results& r) { return count(r.metrics.file_torn); }},
        {"pool.waited", MetricKind::count, [](const Results& r) { return count(r.metrics.pool_waits); }},
        {"pool.pending.max", MetricKind::count, [](const Results& r) { return static_cast<double>(r.peak_pending); }},
        {"pool.never_granted", MetricKind::count, [](const Results& r) { return count(r.metrics.pool_never_granted); }},
    };
    return list;
}

// "p99.9" -> 99.9; nullopt unless a percentile from 0 to 100.
std::optional<double> percentile_of(std::string_view suffix) {
    if (suffix.size() < 2 || suffix.front() != 'p') return std::nullopt;
    double value = 0;
    const auto* first = suffix.data() + 1;
    const auto* last = suffix.data() + suffix.size();
    const auto [end, error] = std::from_chars(first, last, value);
    if (error != std::errc() || end != last || !(value >= 0 && value <= 100)) return std::nullopt;
    return value;
}

// The histogram and statistic a duration metric names, e.g. "latency.p99" -> (latency, "p99").
std::optional<std::pair<const HistogramMetric*, std::string_view>> split_histogram(std::string_view name) {
    for (const auto& h : kHistograms) {
        if (name.size() > h.name.size() + 1 && name.starts_with(h.name) && name[h.name.size()] == '.') {
            const std::string_view stat = name.substr(h.name.size() + 1);
            if (stat == "min" || stat == "max" || stat == "mean" || percentile_of(stat)) return std::pair(&h, stat);
        }
    }
    return std::nullopt;
}

}  // namespace

bool Results::passed() const {
    for (const auto& t : thresholds) {
        if (!t.passed) return false;
    }
    return true;
}

std::optional<MetricKind> metric_kind(std::string_view name) {
    if (split_histogram(name)) return MetricKind::duration;
    for (const auto& s : scalars()) {
        if (s.name == name) return s.kind;
    }
    return std::nullopt;
}

std::optional<double> metric_value(const Results& results, std::string_view name) {
    if (const auto split = split_histogram(name)) {
        const LatencyHistogram& h = results.metrics.*(split->first->member);
        const std::string_view stat = split->second;
        if (stat == "min") return static_cast<double>(h.min());
        if (stat == "max") return static_cast<double>(h.max());
        if (stat == "mean") return h.mean();
        return static_cast<double>(h.value_at_percentile(*percentile_of(stat)));
    }
    for (const auto& s : scalars()) {
        if (s.name == name) return s.value(results);
    }
    return std::nullopt;
}

std::vector<std::string> metric_names() {
    std::vector<std::string> names;
    for (const auto& h : kHistograms) names.push_back(std::string(h.name) + ".{pN,min,max,mean}");
    for (const auto& s : scalars()) names.emplace_back(s.name);
    return names;
}

std::string check_threshold(const threshold::Threshold& rule) {
    const auto kind = metric_kind(rule.metric);
    if (!kind) return "unknown metric '" + rule.metric + "' (see 'evsim load --metrics')";
    if (*kind == MetricKind::duration && rule.unit != threshold::Unit::duration)
        return "'" + rule.metric + "' is a time: give the value a unit (us, ms, s)";
    if (*kind != MetricKind::duration && rule.unit == threshold::Unit::duration)
        return "'" + rule.metric + "' is not a time: drop the unit";
    if (*kind == MetricKind::count && rule.unit == threshold::Unit::percent)
        return "'" + rule.metric + "' is a count, not a rate: compare it with a number";
    return {};
}

void evaluate_thresholds(const scenario::LoadSpec& load, Results& results) {
    results.thresholds.clear();
    for (const auto& t : load.thresholds) {
        const auto value = metric_value(results, t.rule.metric);
        const auto outcome = threshold::evaluate(t.rule, value.value_or(std::nan("")));
        results.thresholds.push_back({t.rule.text, outcome.passed, outcome.message});
    }
}

void reevaluate_thresholds(Results& results) {
    for (auto& verdict : results.thresholds) {
        const auto rule = threshold::parse(verdict.text);
        const auto value = metric_value(results, rule.metric);
        const auto outcome = threshold::evaluate(rule, value.value_or(std::nan("")));
        verdict.passed = outcome.passed;
        verdict.message = outcome.message;
    }
}

}  // namespace evsim::loadgen
