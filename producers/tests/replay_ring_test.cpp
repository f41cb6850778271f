#include <gtest/gtest.h>

#include "evsim/producers/replay_ring.hpp"

namespace evsim::producers {
namespace {
using namespace std::chrono_literals;
using Clock = ReplayRing::Clock;

Message wire(const std::string& text) { return std::make_shared<const std::string>(text); }

std::vector<std::string> texts(const std::vector<Message>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(*e);
    return out;
}

TEST(ReplayRing, ReplaysWhatCameAfterTheId) {
    ReplayRing ring;
    const auto t0 = Clock::time_point{};
    for (int i = 1; i <= 5; ++i) ring.push(std::to_string(i), wire("e" + std::to_string(i)), t0);
    auto replay = ring.after("2", t0);
    EXPECT_TRUE(replay.id_known);
    EXPECT_EQ(texts(replay.events), (std::vector<std::string>{"e3", "e4", "e5"}));
    replay = ring.after("5", t0);
    EXPECT_TRUE(replay.id_known);
    EXPECT_TRUE(replay.events.empty());
}

TEST(ReplayRing, UnknownAndEmptyIdsReplayNothing) {
    ReplayRing ring;
    ring.push("1", wire("e1"), {});
    EXPECT_FALSE(ring.after("nope", {}).id_known);
    EXPECT_FALSE(ring.after("", {}).id_known);
    EXPECT_TRUE(ring.after("nope", {}).events.empty());
}

TEST(ReplayRing, CountLimitDropsTheOldestAndForgetsItsId) {
    ReplayRing ring(ReplayLimits{3, 1'000'000, 1h});
    for (int i = 1; i <= 5; ++i) ring.push(std::to_string(i), wire("e" + std::to_string(i)), {});
    EXPECT_EQ(ring.size(), 3U);
    EXPECT_FALSE(ring.after("2", {}).id_known);
    EXPECT_EQ(texts(ring.after("3", {}).events), (std::vector<std::string>{"e4", "e5"}));
}

TEST(ReplayRing, ByteLimitHoldsAndOversizedEventsAreNotStored) {
    ReplayRing ring(ReplayLimits{100, 10, 1h});
    ring.push("1", wire("aaaa"), {});
    ring.push("2", wire("bbbb"), {});
    ring.push("3", wire("cccc"), {});  // 12 bytes > 10: "1" goes
    EXPECT_EQ(ring.bytes(), 8U);
    EXPECT_FALSE(ring.after("1", {}).id_known);
    ring.push("4", wire(std::string(11, 'x')), {});  // alone over the limit: not stored, nothing evicted
    EXPECT_EQ(ring.size(), 2U);
    EXPECT_EQ(texts(ring.after("2", {}).events), (std::vector<std::string>{"cccc"}));
}

TEST(ReplayRing, AgeLimitExpiresEntries) {
    ReplayRing ring(ReplayLimits{100, 1'000'000, 10s});
    const auto t0 = Clock::time_point{} + 1h;
    ring.push("1", wire("e1"), t0);
    ring.push("2", wire("e2"), t0 + 5s);
    EXPECT_EQ(texts(ring.after("1", t0 + 9s).events), (std::vector<std::string>{"e2"}));
    EXPECT_FALSE(ring.after("1", t0 + 11s).id_known);  // "1" is 11 s old
    EXPECT_TRUE(ring.after("2", t0 + 11s).id_known);
    EXPECT_EQ(ring.size(), 1U);
}

TEST(ReplayRing, RepeatedIdResumesFromItsLatestOccurrence) {
    ReplayRing ring;
    ring.push("a", wire("1"), {});
    ring.push("b", wire("2"), {});
    ring.push("a", wire("3"), {});
    ring.push("", wire("4"), {});  // no id: stored, replayed, never a resume point
    EXPECT_EQ(texts(ring.after("a", {}).events), (std::vector<std::string>{"4"}));
    EXPECT_EQ(texts(ring.after("b", {}).events), (std::vector<std::string>{"3", "4"}));
}

TEST(ReplayRing, MemoryStaysBoundedOverALongStream) {
    ReplayRing ring(ReplayLimits{50, 4096, 1h});
    for (int i = 0; i < 100'000; ++i) ring.push(std::to_string(i), wire("event " + std::to_string(i)), {});
    EXPECT_LE(ring.size(), 50U);
    EXPECT_LE(ring.bytes(), 4096U);
    EXPECT_EQ(texts(ring.after("99998", {}).events), (std::vector<std::string>{"event 99999"}));
}

TEST(ReplayRing, ZeroCapacityStoresNothing) {
    ReplayRing ring(ReplayLimits{0, 1000, 1h});
    ring.push("1", wire("e1"), {});
    EXPECT_EQ(ring.size(), 0U);
    EXPECT_FALSE(ring.after("1", {}).id_known);
}

}  // namespace
}  // namespace evsim::producers
