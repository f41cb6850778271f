// LatencyHistogram: the bucket layout, three significant digits everywhere in range, percentiles
// against exactly known distributions, exact merges, saturation and the compact form read back
// from untrusted input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

#include "evsim/core/latency_histogram.hpp"

using evsim::histogram::LatencyHistogram;

TEST(LatencyHistogramTest, BucketsTileTheRangeWithoutGapsOrOverlap) {
    EXPECT_EQ(LatencyHistogram::lowest_of(0), 0U);
    for (std::size_t i = 0; i + 1 < LatencyHistogram::bucket_count; ++i) {
        ASSERT_EQ(LatencyHistogram::highest_of(i) + 1, LatencyHistogram::lowest_of(i + 1)) << i;
        ASSERT_EQ(LatencyHistogram::index_of(LatencyHistogram::lowest_of(i)), i);
        ASSERT_EQ(LatencyHistogram::index_of(LatencyHistogram::highest_of(i)), i);
    }
    EXPECT_EQ(LatencyHistogram::highest_of(LatencyHistogram::bucket_count - 1), LatencyHistogram::max_value);
    EXPECT_EQ(LatencyHistogram::index_of(LatencyHistogram::max_value), LatencyHistogram::bucket_count - 1);
    EXPECT_EQ(LatencyHistogram::index_of(UINT64_MAX), LatencyHistogram::bucket_count - 1);
}

TEST(LatencyHistogramTest, ThreeSignificantDigitsAcrossTheRange) {
    // Values below 2048 are exact; above, a bucket is at most 1/1024 of its values wide.
    for (std::uint64_t v = 0; v < 2048; ++v) ASSERT_EQ(LatencyHistogram::highest_of(LatencyHistogram::index_of(v)), v);
    std::mt19937_64 random(7);
    for (int i = 0; i < 100'000; ++i) {
        const std::uint64_t v = 2048 + random() % (LatencyHistogram::max_value - 2048);
        const auto index = LatencyHistogram::index_of(v);
        const auto low = LatencyHistogram::lowest_of(index);
        const auto high = LatencyHistogram::highest_of(index);
        ASSERT_LE(low, v);
        ASSERT_GE(high, v);
        ASSERT_LE(static_cast<double>(high - low + 1) / static_cast<double>(low), 1.0 / 1024) << v;
    }
}

TEST(LatencyHistogramTest, PercentilesOfAKnownDistribution) {
    LatencyHistogram h;
    for (std::uint64_t v = 1; v <= 100'000; ++v) h.record(v);
    EXPECT_EQ(h.count(), 100'000U);
    EXPECT_EQ(h.min(), 1U);
    EXPECT_EQ(h.max(), 100'000U);
    EXPECT_NEAR(h.mean(), 50'000.5, 1e-6);
    EXPECT_EQ(h.value_at_percentile(0), 1U);
    EXPECT_EQ(h.value_at_percentile(100), 100'000U);
    for (const double p : {1.0, 25.0, 50.0, 90.0, 99.0, 99.9, 99.99}) {
        const double exact = p / 100.0 * 100'000;
        const auto reported = static_cast<double>(h.value_at_percentile(p));
        EXPECT_GE(reported, exact) << p;  // never below: the bucket's highest value
        EXPECT_LE(reported, exact * (1 + 1.0 / 1024) + 1) << p;
    }
    // Exact below 2048.
    EXPECT_EQ(h.value_at_percentile(1.0), 1000U);
}

TEST(LatencyHistogramTest, FewValuesAndBimodalTails) {
    LatencyHistogram h;
    h.record(100, 99);
    h.record(5'000'000);  // one five-second outlier
    EXPECT_EQ(h.value_at_percentile(50), 100U);
    EXPECT_EQ(h.value_at_percentile(99), 100U);
    EXPECT_EQ(h.value_at_percentile(99.5), 5'000'000U);  // clamped to the recorded max, not the bucket's top
    EXPECT_EQ(h.value_at_percentile(150), 5'000'000U);
    EXPECT_EQ(h.value_at_percentile(-3), 100U);
    EXPECT_EQ(h.value_at_percentile(std::nan("")), 100U);
}

TEST(LatencyHistogramTest, EmptyAndZeroCounts) {
    LatencyHistogram h;
    EXPECT_EQ(h.count(), 0U);
    EXPECT_EQ(h.min(), 0U);
    EXPECT_EQ(h.max(), 0U);
    EXPECT_EQ(h.mean(), 0.0);
    EXPECT_EQ(h.value_at_percentile(99), 0U);
    h.record(42, 0);
    EXPECT_EQ(h.count(), 0U);
    EXPECT_TRUE(h.buckets().empty());
}

TEST(LatencyHistogramTest, ValuesAboveTheRangeSaturate) {
    LatencyHistogram h;
    h.record(LatencyHistogram::max_value + 1000, 3);
    h.record(10);
    EXPECT_EQ(h.saturated(), 3U);
    EXPECT_EQ(h.count(), 4U);
    EXPECT_EQ(h.max(), LatencyHistogram::max_value);
    EXPECT_EQ(h.value_at_percentile(99), LatencyHistogram::max_value);
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverythingInOne) {
    std::mt19937_64 random(3);
    LatencyHistogram all, a, b;
    for (int i = 0; i < 50'000; ++i) {
        const std::uint64_t v = random() % 10'000'000;
        all.record(v);
        (i % 3 == 0 ? a : b).record(v);
    }
    LatencyHistogram merged;
    merged.merge(a);
    merged.merge(b);
    merged.merge(LatencyHistogram{});  // an empty one changes nothing
    EXPECT_EQ(merged.buckets(), all.buckets());
    EXPECT_EQ(merged.count(), all.count());
    EXPECT_EQ(merged.min(), all.min());
    EXPECT_EQ(merged.max(), all.max());
    EXPECT_NEAR(merged.mean(), all.mean(), 1e-6 * all.mean());
    for (const double p : {50.0, 99.0, 99.9}) EXPECT_EQ(merged.value_at_percentile(p), all.value_at_percentile(p));
    merged.reset();
    EXPECT_EQ(merged.count(), 0U);
    EXPECT_TRUE(merged.buckets().empty());
}

TEST(LatencyHistogramTest, CompactFormRoundTrips) {
    LatencyHistogram h;
    for (std::uint64_t v : {3ULL, 3ULL, 2500ULL, 123'456ULL, 60'000'000ULL}) h.record(v);
    const auto buckets = h.buckets();
    ASSERT_EQ(buckets.size(), 4U);
    EXPECT_EQ(buckets[0], (std::pair<std::uint32_t, std::uint64_t>{3, 2}));
    const auto back = LatencyHistogram::from_buckets(buckets);
    EXPECT_EQ(back.buckets(), buckets);
    EXPECT_EQ(back.count(), 5U);
    for (const double p : {20.0, 50.0, 80.0}) EXPECT_EQ(back.value_at_percentile(p), h.value_at_percentile(p));
    // min and max are known to bucket precision only.
    EXPECT_EQ(back.min(), 3U);
    EXPECT_EQ(back.max(), LatencyHistogram::highest_of(LatencyHistogram::index_of(60'000'000)));
}

TEST(LatencyHistogramTest, TheExactSummaryCanBeRestored) {
    LatencyHistogram h;
    for (std::uint64_t v : {3ULL, 2500ULL, 60'000'123ULL}) h.record(v);
    auto back = LatencyHistogram::from_buckets(h.buckets());
    back.restore_summary(h.min(), h.max(), h.mean());
    EXPECT_EQ(back.min(), 3U);
    EXPECT_EQ(back.max(), 60'000'123U);
    EXPECT_DOUBLE_EQ(back.mean(), h.mean());
    // Values that cannot belong to these buckets are refused.
    EXPECT_THROW(back.restore_summary(2, h.max(), h.mean()), std::invalid_argument);
    EXPECT_THROW(back.restore_summary(3, 70'000'000, h.mean()), std::invalid_argument);
    EXPECT_THROW(back.restore_summary(3, h.max(), 1.0), std::invalid_argument);
    LatencyHistogram empty;
    EXPECT_NO_THROW(empty.restore_summary(0, 0, 0));
    EXPECT_THROW(empty.restore_summary(1, 1, 1), std::invalid_argument);
}

TEST(LatencyHistogramTest, BadCompactFormsAreRefusedWithAReason) {
    using Buckets = std::vector<std::pair<std::uint32_t, std::uint64_t>>;
    const auto reason = [](const Buckets& buckets) {
        try {
            LatencyHistogram::from_buckets(buckets);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(reason({{27648, 1}}), "histogram bucket 27648: the index must be below 27648");
    EXPECT_EQ(reason({{5, 1}, {5, 1}}), "histogram bucket 5: indexes must increase");
    EXPECT_EQ(reason({{6, 1}, {5, 1}}), "histogram bucket 5: indexes must increase");
    EXPECT_EQ(reason({{5, 0}}), "histogram bucket 5: a listed bucket needs a count above 0");
    EXPECT_EQ(reason({{1, UINT64_MAX}, {2, 1}}), "histogram bucket 2: the total count overflows");
    EXPECT_EQ(reason({}), "accepted");
}
