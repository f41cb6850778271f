// SequenceTracker: in-order streams, gaps that stay and gaps filled late, duplicates, a client that
// joins mid-stream, the window's bound, and huge jumps.
#include <gtest/gtest.h>

#include <cstdint>

#include "evsim/core/sequence_tracker.hpp"

using evsim::measurement::SequenceTracker;
using Arrival = SequenceTracker::Arrival;

TEST(SequenceTrackerTest, AnUnbrokenStreamFromWhereTheClientJoined) {
    SequenceTracker t;
    EXPECT_FALSE(t.started());
    EXPECT_EQ(t.missing(), 0U);
    EXPECT_EQ(t.on_sequence(500), Arrival::first);  // joined at 500: 1..499 are not loss
    for (std::uint64_t s = 501; s <= 1500; ++s) ASSERT_EQ(t.on_sequence(s), Arrival::next);
    EXPECT_EQ(t.received(), 1001U);
    EXPECT_EQ(t.unique(), 1001U);
    EXPECT_EQ(t.missing(), 0U);
    EXPECT_EQ(t.duplicates() + t.reordered() + t.stale(), 0U);
    EXPECT_EQ(t.first(), 500U);
    EXPECT_EQ(t.highest(), 1500U);
}

TEST(SequenceTrackerTest, GapsAreMissingUntilFilledAndDuplicatesAreCounted) {
    SequenceTracker t;
    t.on_sequence(1);
    t.on_sequence(2);
    EXPECT_EQ(t.on_sequence(6), Arrival::ahead);  // 3, 4, 5 missing
    EXPECT_EQ(t.missing(), 3U);
    EXPECT_EQ(t.on_sequence(4), Arrival::late);  // reordered, fills one
    EXPECT_EQ(t.missing(), 2U);
    EXPECT_EQ(t.reordered(), 1U);
    EXPECT_EQ(t.on_sequence(4), Arrival::duplicate);
    EXPECT_EQ(t.on_sequence(6), Arrival::duplicate);
    EXPECT_EQ(t.duplicates(), 2U);
    EXPECT_EQ(t.on_sequence(7), Arrival::next);
    EXPECT_EQ(t.received(), 7U);
    EXPECT_EQ(t.unique(), 5U);
    EXPECT_EQ(t.missing(), 2U);  // 3 and 5 never came
}

TEST(SequenceTrackerTest, AReplayAfterAReconnectFillsTheGapAndRepeatsShowAsDuplicates) {
    SequenceTracker t;
    for (std::uint64_t s = 1; s <= 10; ++s) t.on_sequence(s);
    // Reconnect: the latest value (12) first, then a replay from Last-Event-ID 10 that includes 12 again.
    EXPECT_EQ(t.on_sequence(12), Arrival::ahead);
    EXPECT_EQ(t.on_sequence(11), Arrival::late);
    EXPECT_EQ(t.on_sequence(12), Arrival::duplicate);
    EXPECT_EQ(t.on_sequence(13), Arrival::next);
    EXPECT_EQ(t.missing(), 0U);
    EXPECT_EQ(t.duplicates(), 1U);
}

TEST(SequenceTrackerTest, NumbersOlderThanTheWindowAreStale) {
    SequenceTracker t(64);
    t.on_sequence(1);
    EXPECT_EQ(t.on_sequence(3), Arrival::ahead);  // 2 missing
    for (std::uint64_t s = 4; s <= 200; ++s) t.on_sequence(s);
    EXPECT_EQ(t.on_sequence(2), Arrival::stale);  // too late to tell: 2 stays missing
    EXPECT_EQ(t.on_sequence(130), Arrival::stale);  // 70 below the highest
    EXPECT_EQ(t.on_sequence(190), Arrival::duplicate);  // within the last 64
    EXPECT_EQ(t.missing(), 1U);
    EXPECT_EQ(t.stale(), 2U);
    EXPECT_EQ(t.on_sequence(0), Arrival::stale);  // before the first: not this client's stream
}

TEST(SequenceTrackerTest, AHugeJumpClearsTheWindowAndCountsTheGap) {
    SequenceTracker t(128);
    t.on_sequence(10);
    EXPECT_EQ(t.on_sequence(1'000'010), Arrival::ahead);
    EXPECT_EQ(t.missing(), 999'999U);
    EXPECT_EQ(t.on_sequence(1'000'009), Arrival::late);  // the slot of an old number was cleared
    EXPECT_EQ(t.on_sequence(UINT64_MAX), Arrival::ahead);
    EXPECT_EQ(t.on_sequence(UINT64_MAX), Arrival::duplicate);
}

TEST(SequenceTrackerTest, WindowIsRoundedUp) {
    SequenceTracker small(1);  // at least 64
    small.on_sequence(1);
    for (std::uint64_t s = 2; s <= 64; ++s) small.on_sequence(s);
    EXPECT_EQ(small.on_sequence(1), Arrival::duplicate);
    small.on_sequence(65);
    EXPECT_EQ(small.on_sequence(1), Arrival::stale);
}
