#include "evsim/core/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

namespace evsim::histogram {

namespace {

constexpr unsigned linear_bits = 11;                        // values below 2^11 have a bucket each
constexpr std::uint64_t linear_limit = 1U << linear_bits;  // 2048
constexpr std::uint64_t half = linear_limit / 2;          // buckets per power of two above it

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(bucket_count, 0) {}

std::size_t LatencyHistogram::index_of(std::uint64_t value) noexcept {
    value = std::min(value, max_value);
    if (value < linear_limit) return static_cast<std::size_t>(value);
    // The top 11 bits of the value say where in its power of two it lies.
    const unsigned msb = 63U - static_cast<unsigned>(std::countl_zero(value));  // >= 11
    const unsigned shift = msb - (linear_bits - 1);                            // >= 1
    const std::uint64_t top = value >> shift;                                  // 1024..2047
    return static_cast<std::size_t>(linear_limit + (shift - 1) * half + (top - half));
}

std::uint64_t LatencyHistogram::lowest_of(std::size_t index) noexcept {
    if (index < linear_limit) return index;
    const std::uint64_t above = index - linear_limit;
    const std::uint64_t shift = above / half + 1;
    const std::uint64_t top = above % half + half;
    return top << shift;
}

std::uint64_t LatencyHistogram::highest_of(std::size_t index) noexcept {
    if (index < linear_limit) return index;
    const std::uint64_t shift = (index - linear_limit) / half + 1;
    return lowest_of(index) + (std::uint64_t{1} << shift) - 1;
}

void LatencyHistogram::record(std::uint64_t microseconds, std::uint64_t count) noexcept {
    if (count == 0) return;
    if (microseconds > max_value) {
        saturated_ += count;
        microseconds = max_value;
    }
    counts_[index_of(microseconds)] += count;
    total_ += count;
    min_ = std::min(min_, microseconds);
    max_ = std::max(max_, microseconds);
    sum_ += static_cast<double>(microseconds) * static_cast<double>(count);
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
    if (other.total_ == 0) return;
    for (std::size_t i = 0; i < bucket_count; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    saturated_ += other.saturated_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
    sum_ += other.sum_;
}

void LatencyHistogram::reset() noexcept {
    std::fill(counts_.begin(), counts_.end(), 0);
    total_ = saturated_ = 0;
    min_ = max_value;
    max_ = 0;
    sum_ = 0.0;
}

std::uint64_t LatencyHistogram::value_at_percentile(double percentile) const noexcept {
    if (total_ == 0) return 0;
    if (!(percentile > 0.0)) return min();  // also NaN
    if (percentile >= 100.0) return max_;
    // The rank of the value asked for, 1-based: at least one value must be at or below it.
    const auto wanted = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(percentile / 100.0 * static_cast<double>(total_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < bucket_count; ++i) {
        seen += counts_[i];
        if (seen >= wanted) return std::clamp(highest_of(i), min(), max_);
    }
    return max_;
}

std::vector<std::pair<std::uint32_t, std::uint64_t>> LatencyHistogram::buckets() const {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> out;
    for (std::size_t i = 0; i < bucket_count; ++i) {
        if (counts_[i] != 0) out.emplace_back(static_cast<std::uint32_t>(i), counts_[i]);
    }
    return out;
}

LatencyHistogram LatencyHistogram::from_buckets(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& buckets) {
    LatencyHistogram histogram;
    std::int64_t previous = -1;
    for (const auto& [index, count] : buckets) {
        const std::string where = "histogram bucket " + std::to_string(index);
        if (index >= bucket_count)
            throw std::invalid_argument(where + ": the index must be below " + std::to_string(bucket_count));
        if (static_cast<std::int64_t>(index) <= previous)
            throw std::invalid_argument(where + ": indexes must increase");
        if (count == 0) throw std::invalid_argument(where + ": a listed bucket needs a count above 0");
        if (count > std::numeric_limits<std::uint64_t>::max() - histogram.total_)
            throw std::invalid_argument(where + ": the total count overflows");
        previous = index;
        // Values are known to bucket precision only: the bucket's bounds stand in for min and max,
        // its middle for the mean.
        histogram.counts_[index] = count;
        histogram.total_ += count;
        histogram.min_ = std::min(histogram.min_, lowest_of(index));
        histogram.max_ = std::max(histogram.max_, highest_of(index));
        const double middle = (static_cast<double>(lowest_of(index)) + static_cast<double>(highest_of(index))) / 2;
        histogram.sum_ += middle * static_cast<double>(count);
    }
    return histogram;
}

void LatencyHistogram::restore_summary(std::uint64_t min, std::uint64_t max, double mean) {
    if (total_ == 0) {
        if (min != 0 || max != 0 || mean != 0) throw std::invalid_argument("an empty histogram has no min, max or mean");
        return;
    }
    const std::size_t low = index_of(min_);
    const std::size_t high = index_of(max_);
    if (min < lowest_of(low) || min > highest_of(low) || index_of(min) != low)
        throw std::invalid_argument("min " + std::to_string(min) + " is not in the lowest bucket");
    if (max < lowest_of(high) || max > highest_of(high) || index_of(max) != high)
        throw std::invalid_argument("max " + std::to_string(max) + " is not in the highest bucket");
    if (!(mean >= static_cast<double>(min) && mean <= static_cast<double>(max)))
        throw std::invalid_argument("mean is not between min and max");
    min_ = min;
    max_ = max;
    sum_ = mean * static_cast<double>(total_);
}

}  // namespace evsim::histogram
