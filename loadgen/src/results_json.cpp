// The results JSON: every counter, every histogram with its summary and its buckets (the exact,
// mergeable form), the series and the verdicts. Read back by `evsim report merge`.
#include <boost/json.hpp>
#include <stdexcept>

#include "evsim/loadgen/results.hpp"

namespace evsim::loadgen {

namespace json = boost::json;

namespace {

struct Counter {
    const char* name;
    std::uint64_t Metrics::*member;
};

constexpr Counter kCounters[] = {
    {"vus_started", &Metrics::vus_started},       {"connect_attempts", &Metrics::connect_attempts},
    {"connects", &Metrics::connects},             {"connect_failures", &Metrics::connect_failures},
    {"disconnects", &Metrics::disconnects},       {"reconnects", &Metrics::reconnects},
    {"events", &Metrics::events},                 {"bytes", &Metrics::bytes},
    {"stamped", &Metrics::stamped},               {"lost", &Metrics::lost},
    {"duplicates", &Metrics::duplicates},         {"reordered", &Metrics::reordered},
    {"fetch_requests", &Metrics::fetch_requests}, {"fetch_failures", &Metrics::fetch_failures},
    {"file_reads", &Metrics::file_reads},         {"file_torn", &Metrics::file_torn},
    {"pool_waits", &Metrics::pool_waits},         {"pool_never_granted", &Metrics::pool_never_granted},
};

struct Histogram {
    const char* name;
    LatencyHistogram Metrics::*member;
};

constexpr Histogram kHistograms[] = {
    {"latency_us", &Metrics::latency},           {"fetch_latency_us", &Metrics::fetch_latency},
    {"connect_time_us", &Metrics::connect_time}, {"first_event_us", &Metrics::first_event},
    {"reconnect_time_us", &Metrics::reconnect_time}, {"pool_wait_us", &Metrics::pool_wait},
    {"schedule_lag_us", &Metrics::schedule_lag},
};

json::object histogram_json(const LatencyHistogram& h) {
    json::object out;
    out["count"] = h.count();
    out["min"] = h.min();
    out["mean"] = h.mean();
    for (const auto& [key, p] : {std::pair{"p50", 50.0}, {"p90", 90.0}, {"p99", 99.0}, {"p99.9", 99.9}})
        out[key] = h.value_at_percentile(p);
    out["max"] = h.max();
    json::array buckets;
    for (const auto& [index, count] : h.buckets()) buckets.push_back(json::array{index, count});
    out["buckets"] = std::move(buckets);
    return out;
}

const json::value& field(const json::object& object, std::string_view key) {
    const json::value* v = object.if_contains(key);
    if (v == nullptr) throw std::invalid_argument("missing field '" + std::string(key) + "'");
    return *v;
}

std::uint64_t to_u64(const json::value& v, std::string_view key) {
    if (v.is_uint64()) return v.as_uint64();
    if (v.is_int64() && v.as_int64() >= 0) return static_cast<std::uint64_t>(v.as_int64());
    throw std::invalid_argument("field '" + std::string(key) + "' is not a whole number");
}

std::int64_t to_i64(const json::value& v, std::string_view key) {
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.as_uint64());
    throw std::invalid_argument("field '" + std::string(key) + "' is not a whole number");
}

double to_double(const json::value& v, std::string_view key) {
    if (v.is_double()) return v.as_double();
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    if (v.is_uint64()) return static_cast<double>(v.as_uint64());
    throw std::invalid_argument("field '" + std::string(key) + "' is not a number");
}

const json::object& to_object(const json::value& v, std::string_view key) {
    if (!v.is_object()) throw std::invalid_argument("field '" + std::string(key) + "' is not an object");
    return v.as_object();
}

const json::array& to_array(const json::value& v, std::string_view key) {
    if (!v.is_array()) throw std::invalid_argument("field '" + std::string(key) + "' is not an array");
    return v.as_array();
}

LatencyHistogram histogram_from(const json::object& object, std::string_view key) {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> buckets;
    for (const auto& pair : to_array(field(object, "buckets"), key)) {
        const auto& items = to_array(pair, key);
        if (items.size() != 2) throw std::invalid_argument("histogram '" + std::string(key) + "': a bucket is [index, count]");
        const std::uint64_t index = to_u64(items[0], key);
        if (index > UINT32_MAX) throw std::invalid_argument("histogram '" + std::string(key) + "': bucket index out of range");
        buckets.emplace_back(static_cast<std::uint32_t>(index), to_u64(items[1], key));
    }
    try {
        LatencyHistogram h = LatencyHistogram::from_buckets(buckets);
        h.restore_summary(to_u64(field(object, "min"), key), to_u64(field(object, "max"), key),
                          to_double(field(object, "mean"), key));
        return h;
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("histogram '" + std::string(key) + "': " + e.what());
    }
}

}  // namespace

std::string to_json(const Results& r) {
    json::object root;
    root["format"] = "evsim-load-results/1";
    root["scenario"] = r.scenario;
    root["shard"] = json::object{{"index", r.shard_index}, {"count", r.shard_count}};
    root["planned_s"] = r.planned_s;
    root["elapsed_s"] = r.elapsed_s;
    root["interrupted"] = r.interrupted;
    root["stop_reason"] = r.stop_reason;
    root["passed"] = r.passed();
    json::object counters;
    for (const auto& c : kCounters) counters[c.name] = r.metrics.*(c.member);
    root["counters"] = std::move(counters);
    json::object failures;
    for (const auto& [reason, n] : r.metrics.failures) failures[reason] = n;
    root["failures"] = std::move(failures);
    root["peaks"] = json::object{{"vus", r.peak_vus}, {"open", r.peak_open}, {"pending", r.peak_pending}};
    root["dropped_arrivals"] = r.dropped_arrivals;
    json::object histograms;
    for (const auto& h : kHistograms) histograms[h.name] = histogram_json(r.metrics.*(h.member));
    root["histograms"] = std::move(histograms);
    json::array series;
    for (const auto& s : r.series) {
        series.push_back(json::object{{"at_s", s.at_s},         {"span_s", s.span_s},         {"events", s.events},
                                      {"bytes", s.bytes},       {"fetch_requests", s.fetch_requests},
                                      {"vus", s.vus},           {"open", s.open},             {"pending", s.pending},
                                      {"latency_p50", s.latency_p50}, {"latency_p90", s.latency_p90},
                                      {"latency_p99", s.latency_p99}, {"latency_max", s.latency_max},
                                      {"fetch_p99", s.fetch_p99}});
    }
    root["series"] = std::move(series);
    json::array thresholds;
    for (const auto& t : r.thresholds)
        thresholds.push_back(json::object{{"threshold", t.text}, {"passed", t.passed}, {"message", t.message}});
    root["thresholds"] = std::move(thresholds);
    return json::serialize(root) + "\n";
}

Results results_from_json(std::string_view text) {
    boost::system::error_code ec;
    json::parse_options options;
    options.max_depth = 16;
    const json::value parsed = json::parse(text, ec, {}, options);
    if (ec) throw std::invalid_argument("not JSON: " + ec.message());
    const json::object& root = to_object(parsed, "(top level)");
    const json::value& format = field(root, "format");
    if (!format.is_string() || format.as_string() != "evsim-load-results/1")
        throw std::invalid_argument("not an evsim load results file (format evsim-load-results/1)");
    Results r;
    if (const auto& s = field(root, "scenario"); s.is_string()) r.scenario = std::string(s.as_string());
    const auto& shard = to_object(field(root, "shard"), "shard");
    r.shard_index = to_u64(field(shard, "index"), "shard.index");
    r.shard_count = to_u64(field(shard, "count"), "shard.count");
    r.planned_s = to_double(field(root, "planned_s"), "planned_s");
    r.elapsed_s = to_double(field(root, "elapsed_s"), "elapsed_s");
    if (const auto& v = field(root, "interrupted"); v.is_bool()) r.interrupted = v.as_bool();
    if (const auto& v = field(root, "stop_reason"); v.is_string()) r.stop_reason = std::string(v.as_string());
    const auto& counters = to_object(field(root, "counters"), "counters");
    for (const auto& c : kCounters) r.metrics.*(c.member) = to_u64(field(counters, c.name), c.name);
    for (const auto& [reason, n] : to_object(field(root, "failures"), "failures"))
        r.metrics.failures[std::string(reason)] = to_u64(n, "failures");
    const auto& peaks = to_object(field(root, "peaks"), "peaks");
    r.peak_vus = to_i64(field(peaks, "vus"), "peaks.vus");
    r.peak_open = to_i64(field(peaks, "open"), "peaks.open");
    r.peak_pending = to_i64(field(peaks, "pending"), "peaks.pending");
    r.dropped_arrivals = to_u64(field(root, "dropped_arrivals"), "dropped_arrivals");
    const auto& histograms = to_object(field(root, "histograms"), "histograms");
    for (const auto& h : kHistograms)
        r.metrics.*(h.member) = histogram_from(to_object(field(histograms, h.name), h.name), h.name);
    for (const auto& item : to_array(field(root, "series"), "series")) {
        const auto& o = to_object(item, "series");
        Sample s;
        s.at_s = to_double(field(o, "at_s"), "at_s");
        s.span_s = to_double(field(o, "span_s"), "span_s");
        s.events = to_u64(field(o, "events"), "events");
        s.bytes = to_u64(field(o, "bytes"), "bytes");
        s.fetch_requests = to_u64(field(o, "fetch_requests"), "fetch_requests");
        s.vus = to_i64(field(o, "vus"), "vus");
        s.open = to_i64(field(o, "open"), "open");
        s.pending = to_i64(field(o, "pending"), "pending");
        s.latency_p50 = to_u64(field(o, "latency_p50"), "latency_p50");
        s.latency_p90 = to_u64(field(o, "latency_p90"), "latency_p90");
        s.latency_p99 = to_u64(field(o, "latency_p99"), "latency_p99");
        s.latency_max = to_u64(field(o, "latency_max"), "latency_max");
        s.fetch_p99 = to_u64(field(o, "fetch_p99"), "fetch_p99");
        r.series.push_back(s);
    }
    for (const auto& item : to_array(field(root, "thresholds"), "thresholds")) {
        const auto& o = to_object(item, "thresholds");
        ThresholdVerdict v;
        if (const auto& t = field(o, "threshold"); t.is_string()) v.text = std::string(t.as_string());
        if (const auto& p = field(o, "passed"); p.is_bool()) v.passed = p.as_bool();
        if (const auto& m = field(o, "message"); m.is_string()) v.message = std::string(m.as_string());
        r.thresholds.push_back(std::move(v));
    }
    return r;
}

void merge_results(Results& into, const Results& shard) {
    into.metrics.merge(shard.metrics);
    into.peak_vus += shard.peak_vus;
    into.peak_open += shard.peak_open;
    into.peak_pending += shard.peak_pending;
    into.dropped_arrivals += shard.dropped_arrivals;
    into.planned_s = std::max(into.planned_s, shard.planned_s);
    into.elapsed_s = std::max(into.elapsed_s, shard.elapsed_s);
    into.interrupted = into.interrupted || shard.interrupted;
    if (into.series.size() < shard.series.size()) into.series.resize(shard.series.size());
    for (std::size_t i = 0; i < shard.series.size(); ++i) {
        Sample& a = into.series[i];
        const Sample& b = shard.series[i];
        a.at_s = std::max(a.at_s, b.at_s);
        a.span_s = std::max(a.span_s, b.span_s);
        a.events += b.events;
        a.bytes += b.bytes;
        a.fetch_requests += b.fetch_requests;
        a.vus += b.vus;
        a.open += b.open;
        a.pending += b.pending;
        // Per-slice percentiles cannot be merged exactly from summaries: the larger is kept (an
        // upper bound). The whole-run histograms above merge exactly.
        a.latency_p50 = std::max(a.latency_p50, b.latency_p50);
        a.latency_p90 = std::max(a.latency_p90, b.latency_p90);
        a.latency_p99 = std::max(a.latency_p99, b.latency_p99);
        a.latency_max = std::max(a.latency_max, b.latency_max);
        a.fetch_p99 = std::max(a.fetch_p99, b.fetch_p99);
    }
}

}  // namespace evsim::loadgen
