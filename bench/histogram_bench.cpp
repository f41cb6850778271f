// LatencyHistogram costs (docs/benchmarks.md, "Latency histogram"): recording one value (what the
// load generator does per received event), a percentile over a full histogram, and a merge (per
// thread, at the end of a run or a reporting interval).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "evsim/core/latency_histogram.hpp"

namespace {

using evsim::histogram::LatencyHistogram;

// Latencies spread over five orders of magnitude, drawn once so the benchmark measures recording.
std::vector<std::uint64_t> sample_latencies() {
    std::mt19937_64 random(11);
    std::lognormal_distribution<double> spread(7.0, 2.0);  // median ~1 ms, long tail
    std::vector<std::uint64_t> values(1 << 16);
    for (auto& v : values) v = static_cast<std::uint64_t>(spread(random));
    return values;
}

void BM_Record(benchmark::State& state) {
    const auto values = sample_latencies();
    LatencyHistogram histogram;
    std::size_t i = 0;
    for (auto _ : state) {
        histogram.record(values[i++ & (values.size() - 1)]);
    }
    benchmark::DoNotOptimize(histogram.count());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Record);

void BM_Percentile(benchmark::State& state) {
    LatencyHistogram histogram;
    for (const auto v : sample_latencies()) histogram.record(v);
    for (auto _ : state) benchmark::DoNotOptimize(histogram.value_at_percentile(99.9));
}
BENCHMARK(BM_Percentile);

void BM_Merge(benchmark::State& state) {
    LatencyHistogram part;
    for (const auto v : sample_latencies()) part.record(v);
    LatencyHistogram total;
    for (auto _ : state) total.merge(part);
    benchmark::DoNotOptimize(total.count());
}
BENCHMARK(BM_Merge);

}  // namespace
