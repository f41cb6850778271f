// A fixed-memory, high-dynamic-range histogram of latencies in microseconds, for the load
// generator's end-to-end latency of pushed events and its fetch latencies (issue 5): every value
// from 1 µs to about 19 hours is kept with three significant digits, in 216 KiB that never grow,
// so a run of any length and any rate costs the same memory and percentiles are exact to within
// 0.1 % of the value.
//
// Layout (the log-linear scheme of HdrHistogram, written from its description): values below 2048
// have a bucket each; above, every power of two is split into 1024 equal buckets, so a bucket is at
// most 1/1024 of its values wide. Percentiles report a bucket's highest value (a latency is never
// reported lower than it was). One histogram per thread, merged at the end: merge() adds exactly.
//
// Not thread-safe: record on one thread, merge copies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace evsim::histogram {

class LatencyHistogram {
public:
    // The largest value kept as itself: 2^36 - 1 µs, about 19 hours. Larger values are recorded as
    // this and counted in saturated().
    static constexpr std::uint64_t max_value = (std::uint64_t{1} << 36U) - 1;
    static constexpr std::size_t bucket_count = 2048 + 25 * 1024;

    LatencyHistogram();

    void record(std::uint64_t microseconds, std::uint64_t count = 1) noexcept;
    // Adds every value of `other` (exactly: the layouts are the same).
    void merge(const LatencyHistogram& other) noexcept;
    void reset() noexcept;

    std::uint64_t count() const noexcept { return total_; }
    std::uint64_t saturated() const noexcept { return saturated_; }  // values above max_value
    // 0 when empty. min and max are the values recorded (not their buckets' bounds).
    std::uint64_t min() const noexcept { return total_ ? min_ : 0; }
    std::uint64_t max() const noexcept { return max_; }
    double mean() const noexcept { return total_ ? sum_ / static_cast<double>(total_) : 0.0; }

    // The smallest recorded value (to bucket precision, reported as the bucket's highest value but
    // never above max()) such that `percentile` % of the values are at or below it. 0 → min(),
    // 100 → max(), 0 when empty. Percentiles outside 0..100 are clamped.
    std::uint64_t value_at_percentile(double percentile) const noexcept;

    // The buckets that hold values, as (index, count) in index order: the mergeable, compact form for
    // results files. from_buckets() rebuilds a histogram from it and throws std::invalid_argument
    // for an index out of range, indexes out of order or repeated, a zero count or a total that
    // overflows: the form may come from a file.
    std::vector<std::pair<std::uint32_t, std::uint64_t>> buckets() const;
    static LatencyHistogram from_buckets(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& buckets);
    // Puts back the exact min, max and mean a results file kept beside the buckets (from_buckets
    // knows them only to bucket precision). Throws std::invalid_argument when they cannot belong to
    // these buckets: min and max outside the lowest and highest bucket, a mean outside [min, max].
    void restore_summary(std::uint64_t min, std::uint64_t max, double mean);

    // The bucket a value falls in, and the lowest and highest value of a bucket.
    static std::size_t index_of(std::uint64_t value) noexcept;
    static std::uint64_t lowest_of(std::size_t index) noexcept;
    static std::uint64_t highest_of(std::size_t index) noexcept;

private:
    std::vector<std::uint64_t> counts_;  // bucket_count, allocated once
    std::uint64_t total_ = 0;
    std::uint64_t saturated_ = 0;
    std::uint64_t min_ = max_value;
    std::uint64_t max_ = 0;
    double sum_ = 0.0;
};

}  // namespace evsim::histogram
