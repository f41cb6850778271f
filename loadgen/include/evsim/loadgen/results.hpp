// The outcome of a load run (or of several shards merged): the metrics, the gauges' peaks, the
// time series and the thresholds' verdicts; metric names as thresholds use them; the results
// JSON, which keeps every histogram in its mergeable form so shards add up exactly.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/core/load_spec.hpp"
#include "evsim/core/threshold.hpp"
#include "evsim/loadgen/metrics.hpp"

namespace evsim::loadgen {

// One slice of the time series (one second by default).
struct Sample {
    double at_s = 0;  // seconds since the run started, at the end of the slice
    double span_s = 0;
    std::uint64_t events = 0;
    std::uint64_t bytes = 0;
    std::uint64_t fetch_requests = 0;
    std::int64_t vus = 0;
    std::int64_t open = 0;
    std::int64_t pending = 0;
    std::uint64_t latency_p50 = 0, latency_p90 = 0, latency_p99 = 0, latency_max = 0;  // microseconds
    std::uint64_t fetch_p99 = 0;
};

struct ThresholdVerdict {
    std::string text;  // as written
    bool passed = false;
    std::string message;  // "latency.p99 < 50ms: 12.3ms"
};

struct Results {
    std::string scenario;
    std::size_t shard_index = 0, shard_count = 1;
    double planned_s = 0;   // the schedule's length
    double elapsed_s = 0;   // as run (shorter when interrupted)
    bool interrupted = false;
    std::string stop_reason;  // "", "SIGINT", "threshold breached: ..."
    Metrics metrics;
    std::int64_t peak_vus = 0, peak_open = 0, peak_pending = 0;
    std::uint64_t dropped_arrivals = 0;
    std::vector<Sample> series;
    std::vector<ThresholdVerdict> thresholds;

    bool passed() const;
};

enum class MetricKind { count, duration, rate };

// Which metrics exist and of what kind: nullopt for an unknown name. Percentile names are
// "<histogram>.p<N>" with N from 0 to 100 (p99, p99.9), plus .min, .max and .mean.
std::optional<MetricKind> metric_kind(std::string_view name);
// The value of a metric in threshold units (microseconds for durations, fractions for rates);
// nullopt for an unknown name.
std::optional<double> metric_value(const Results& results, std::string_view name);
// Every metric name a threshold can use (percentiles as "<histogram>.pN"), for help and errors.
std::vector<std::string> metric_names();

// Checks a threshold's metric and unit before a run: "" when usable, else why not.
std::string check_threshold(const threshold::Threshold& rule);

// Evaluates every threshold of `load` into results.thresholds.
void evaluate_thresholds(const scenario::LoadSpec& load, Results& results);

// Evaluates results.thresholds again from their texts (after a merge: on the whole run). Throws
// threshold::SpecError for a text that is not a threshold.
void reevaluate_thresholds(Results& results);

// The results JSON (docs/load.md) and back; from_json throws std::invalid_argument with a reason
// for anything it cannot read exactly (it may come from another machine).
std::string to_json(const Results& results);
Results results_from_json(std::string_view text);

// Adds shard results into one: counters and histograms add, peaks add (shards run side by side),
// series add slice by slice; planned and elapsed are the longest.
void merge_results(Results& into, const Results& shard);

}  // namespace evsim::loadgen
