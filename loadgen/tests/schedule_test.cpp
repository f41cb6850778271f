#include "evsim/loadgen/schedule.hpp"

#include <gtest/gtest.h>

#include <set>

namespace evsim::loadgen {
namespace {

using namespace std::chrono_literals;
using scenario::LoadStage;
using std::chrono::microseconds;

LoadStage ramp(std::size_t to, microseconds over) {
    LoadStage s;
    s.kind = LoadStage::Kind::ramp;
    s.target = to;
    s.duration = over;
    return s;
}
LoadStage hold(microseconds d) {
    LoadStage s;
    s.kind = LoadStage::Kind::hold;
    s.duration = d;
    return s;
}
LoadStage arrival(double rate, microseconds d, microseconds stay) {
    LoadStage s;
    s.kind = LoadStage::Kind::arrival;
    s.rate = rate;
    s.duration = d;
    s.stay = stay;
    return s;
}

scenario::LoadSpec spec(std::vector<std::vector<LoadStage>> groups, std::size_t max_vus = 10'000) {
    scenario::LoadSpec load;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        scenario::UserGroup g;
        g.name = "g" + std::to_string(i);
        g.stages = groups[i];
        g.max_vus = max_vus;
        load.users.push_back(g);
    }
    return load;
}

TEST(Schedule, RampUpStartsTheFirstAtOnceAndSpacesTheRestEvenly) {
    const auto s = plan_schedule(spec({{ramp(4, 4s), hold(2s)}}));
    ASSERT_EQ(s.sessions.size(), 4u);
    EXPECT_EQ(s.sessions[0].start, 0s);
    EXPECT_EQ(s.sessions[1].start, 1s);
    EXPECT_EQ(s.sessions[2].start, 2s);
    EXPECT_EQ(s.sessions[3].start, 3s);
    for (const auto& session : s.sessions) EXPECT_EQ(session.stop, 6s);  // held to the end
    EXPECT_EQ(s.end, 6s);
    EXPECT_EQ(s.peak_vus, 4u);
}

TEST(Schedule, RampDownStopsTheNewestFirstAndTheLastAtTheRampsEnd) {
    const auto s = plan_schedule(spec({{ramp(3, 0s), hold(1s), ramp(1, 2s), hold(1s)}}));
    ASSERT_EQ(s.sessions.size(), 3u);
    // All three start at 0 (ramp over 0s); ordinals follow start order.
    EXPECT_EQ(s.sessions[2].stop, 2s);  // newest leaves first: at 1s + 2s*1/2
    EXPECT_EQ(s.sessions[1].stop, 3s);  // at the end of the ramp
    EXPECT_EQ(s.sessions[0].stop, 4s);  // held until the stages end
    EXPECT_EQ(s.end, 4s);
}

TEST(Schedule, RampToZeroLeavesNobodyRunning) {
    const auto s = plan_schedule(spec({{ramp(2, 0s), ramp(0, 2s), hold(5s)}}));
    ASSERT_EQ(s.sessions.size(), 2u);
    EXPECT_LE(s.sessions[0].stop, 2s);
    EXPECT_LE(s.sessions[1].stop, 2s);
    EXPECT_EQ(s.end, 7s);
}

TEST(Schedule, ArrivalsComeAtTheRateAndStayTheirTime) {
    const auto s = plan_schedule(spec({{arrival(2, 3s, 500ms)}}));
    ASSERT_EQ(s.sessions.size(), 6u);  // at 0, 0.5, ..., 2.5 s
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(s.sessions[i].start, microseconds(500'000 * static_cast<long long>(i)));
        EXPECT_EQ(s.sessions[i].stop - s.sessions[i].start, 500ms);
    }
    EXPECT_EQ(s.end, 3s);  // the last leaves at 2.5 + 0.5
    EXPECT_EQ(s.dropped_arrivals, 0u);
    EXPECT_EQ(s.peak_vus, 1u);  // each leaves as the next arrives
}

TEST(Schedule, ArrivalsOverMaxVusAreDroppedAndCounted) {
    // 10/s staying 1 s: 10 would run at once; the cap is 4.
    const auto s = plan_schedule(spec({{arrival(10, 2s, 1s)}}, 4));
    EXPECT_EQ(s.sessions.size() + s.dropped_arrivals, 20u);
    EXPECT_GT(s.dropped_arrivals, 0u);
    EXPECT_EQ(s.peak_vus, 4u);
}

TEST(Schedule, SessionsLastingBeyondTheStagesExtendTheEnd) {
    const auto s = plan_schedule(spec({{arrival(1, 1s, 10s)}}));
    ASSERT_EQ(s.sessions.size(), 1u);
    EXPECT_EQ(s.end, 10s);
}

TEST(Schedule, GroupsRunSideBySideAndAreOrderedByStart) {
    const auto s = plan_schedule(spec({{hold(1s), ramp(1, 0s), hold(1s)}, {ramp(1, 0s), hold(3s)}}));
    ASSERT_EQ(s.sessions.size(), 2u);
    EXPECT_EQ(s.sessions[0].group, 1u);
    EXPECT_EQ(s.sessions[0].start, 0s);
    EXPECT_EQ(s.sessions[1].group, 0u);
    EXPECT_EQ(s.sessions[1].start, 1s);
    EXPECT_EQ(s.end, 3s);
    EXPECT_EQ(s.peak_vus, 2u);
}

TEST(Schedule, ShardsAreDisjointCoverTheWholeAndKeepItsEnd) {
    const auto whole = plan_schedule(spec({{ramp(50, 5s), hold(1s)}, {arrival(7, 3s, 1s)}}, 5));
    std::multiset<std::pair<std::uint32_t, std::uint64_t>> seen;
    std::uint64_t dropped = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto shard = shard_schedule(whole, i, 3);
        EXPECT_EQ(shard.end, whole.end);
        EXPECT_NEAR(static_cast<double>(shard.sessions.size()), whole.sessions.size() / 3.0, 1.0);
        for (const auto& session : shard.sessions) seen.insert({session.group, session.ordinal});
        dropped += shard.dropped_arrivals;
    }
    EXPECT_EQ(seen.size(), whole.sessions.size());
    EXPECT_EQ(std::set(seen.begin(), seen.end()).size(), seen.size());  // no session twice
    EXPECT_EQ(dropped, whole.dropped_arrivals);
}

TEST(Schedule, ShardArgumentsAreChecked) {
    const auto whole = plan_schedule(spec({{ramp(2, 0s), hold(1s)}}));
    EXPECT_THROW(shard_schedule(whole, 2, 2), std::invalid_argument);
    EXPECT_THROW(shard_schedule(whole, 0, 0), std::invalid_argument);
    EXPECT_EQ(shard_schedule(whole, 0, 1).sessions, whole.sessions);
}

}  // namespace
}  // namespace evsim::loadgen
