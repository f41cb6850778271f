// ConnectionFaults and ProducerFaults without sockets: which message a fault applies to, the write
// plans (prefix, pieces, pauses), what happens after a write, `at` triggers, and the producer's
// request / event / FILE decisions and armed faults.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "evsim/producers/connection_faults.hpp"
#include "evsim/producers/producer_faults.hpp"
#include "faults_test_support.hpp"

namespace evsim::producers {
namespace {

using namespace std::chrono_literals;
using faults::Kind;
using faults_test::after;
using faults_test::every;
using Clock = ConnectionFaults::Clock;
using Piece = ConnectionFaults::Piece;

faults::FaultSpec fault_of(Kind kind, faults::Trigger trigger, faults::Scope scope = faults::Scope::connection) {
    faults::FaultSpec fault;
    fault.kind = kind;
    fault.trigger = trigger;
    fault.scope = scope;
    return fault;
}

std::shared_ptr<const FaultPlan> plan_of(std::vector<faults::FaultSpec> list, std::uint64_t seed = 1) {
    auto plan = std::make_shared<FaultPlan>();
    plan->faults = std::move(list);
    plan->seed = seed;
    return plan;
}

// One piece covering the whole message, no pause: a normal write.
bool plain(const ConnectionFaults::WritePlan& plan, std::size_t size) {
    return plan.prefix.empty() && plan.pieces.size() == 1 && plan.pieces[0].offset == 0 &&
           plan.pieces[0].size == size && plan.pieces[0].pause_after.count() == 0;
}

TEST(ConnectionFaultsTest, CloseAfterNFiresOnDeliveryOfNAndActsOnceNIsWritten) {
    const auto t0 = Clock::now();
    ConnectionFaults faults(plan_of({fault_of(Kind::close, after(3))}), 1, t0);
    EXPECT_TRUE(faults.idle(t0));
    EXPECT_EQ(faults.on_deliver(1), 0U);
    EXPECT_EQ(faults.on_deliver(2), 0U);
    EXPECT_EQ(faults.on_deliver(3), 1U);
    EXPECT_FALSE(faults.idle(t0));
    EXPECT_FALSE(faults.after_write(2, t0).close) << "message 3 is not written yet";
    EXPECT_TRUE(plain(faults.plan_write(3, 10, t0), 10));
    const auto after3 = faults.after_write(3, t0);
    EXPECT_TRUE(after3.close);
    EXPECT_EQ(after3.close_code, 1000);
    EXPECT_FALSE(after3.reset);
    EXPECT_TRUE(faults.idle(t0));
    EXPECT_EQ(faults.on_deliver(4), 0U);
    EXPECT_FALSE(faults.after_write(4, t0).close) << "after: once";
}

TEST(ConnectionFaultsTest, EveryAndTimes) {
    const auto t0 = Clock::now();
    auto reset = fault_of(Kind::reset, every(2, 2));
    ConnectionFaults faults(plan_of({reset}), 1, t0);
    std::vector<std::uint64_t> fired;
    for (std::uint64_t i = 1; i <= 10; ++i) {
        if (faults.on_deliver(i) > 0) fired.push_back(i);
        (void)faults.plan_write(i, 4, t0);
        EXPECT_EQ(faults.after_write(i, t0).reset, i == 2 || i == 4) << i;
    }
    EXPECT_EQ(fired, (std::vector<std::uint64_t>{2, 4}));
}

TEST(ConnectionFaultsTest, MalformedPrefixesTheMessageItFiredOn) {
    const auto t0 = Clock::now();
    auto malformed = fault_of(Kind::malformed, after(2));
    malformed.bytes = "BAD";
    ConnectionFaults faults(plan_of({malformed}), 1, t0);
    faults.on_deliver(1);
    faults.on_deliver(2);
    EXPECT_TRUE(plain(faults.plan_write(1, 5, t0), 5)) << "message 1 comes before the fault";
    const auto plan = faults.plan_write(2, 5, t0);
    EXPECT_EQ(plan.prefix, "BAD");
    ASSERT_EQ(plan.pieces.size(), 1U);
    EXPECT_EQ(plan.pieces[0].size, 5U);
    EXPECT_TRUE(plain(faults.plan_write(3, 5, t0), 5));
}

TEST(ConnectionFaultsTest, AFaultForADroppedMessageActsOnTheNextOneWritten) {
    const auto t0 = Clock::now();
    auto malformed = fault_of(Kind::malformed, after(2));
    malformed.bytes = "X";
    ConnectionFaults faults(plan_of({malformed, fault_of(Kind::close, after(2))}), 1, t0);
    for (std::uint64_t i = 1; i <= 4; ++i) faults.on_deliver(i);
    // Messages 1 to 3 were dropped from a lagging client's queue: 4 is the next one written.
    EXPECT_EQ(faults.plan_write(4, 3, t0).prefix, "X");
    EXPECT_TRUE(faults.after_write(4, t0).close);
}

TEST(ConnectionFaultsTest, SplitCutsAtTheOffsetsWithTheGapAfterEachPieceButTheLast) {
    const auto t0 = Clock::now();
    auto split = fault_of(Kind::split, after(1));
    split.at_bytes = {3, 7, 50};  // 50 is past the end: ignored
    split.gap = 40ms;
    ConnectionFaults faults(plan_of({split}), 1, t0);
    faults.on_deliver(1);
    const auto plan = faults.plan_write(1, 12, t0);
    EXPECT_TRUE(plan.prefix.empty());
    ASSERT_EQ(plan.pieces.size(), 3U);
    EXPECT_EQ(plan.pieces[0].offset, 0U);
    EXPECT_EQ(plan.pieces[0].size, 3U);
    EXPECT_EQ(plan.pieces[0].pause_after, 40ms);
    EXPECT_EQ(plan.pieces[1].offset, 3U);
    EXPECT_EQ(plan.pieces[1].size, 4U);
    EXPECT_EQ(plan.pieces[1].pause_after, 40ms);
    EXPECT_EQ(plan.pieces[2].offset, 7U);
    EXPECT_EQ(plan.pieces[2].size, 5U);
    EXPECT_EQ(plan.pieces[2].pause_after, 0ms);
    EXPECT_TRUE(faults.idle(t0));
    EXPECT_TRUE(plain(faults.plan_write(2, 12, t0), 12));
}

TEST(ConnectionFaultsTest, DripCutsEveryMessageIntoChunksForItsDuration) {
    const auto t0 = Clock::now();
    auto drip = fault_of(Kind::drip, after(1));
    drip.chunk = 4;
    drip.gap = 10ms;
    drip.duration = 100ms;
    ConnectionFaults faults(plan_of({drip}), 1, t0);
    faults.on_deliver(1);
    const auto first = faults.plan_write(1, 10, t0);
    ASSERT_EQ(first.pieces.size(), 3U);
    EXPECT_EQ(first.pieces[0].size, 4U);
    EXPECT_EQ(first.pieces[1].size, 4U);
    EXPECT_EQ(first.pieces[2].size, 2U);
    for (const auto& piece : first.pieces) EXPECT_EQ(piece.pause_after, 10ms);  // the last too: before the next message
    EXPECT_FALSE(faults.idle(t0 + 50ms));
    EXPECT_EQ(faults.plan_write(2, 8, t0 + 50ms).pieces.size(), 2U) << "still dripping";
    EXPECT_TRUE(faults.idle(t0 + 100ms));
    EXPECT_TRUE(plain(faults.plan_write(3, 8, t0 + 100ms), 8)) << "the drip is over";
}

TEST(ConnectionFaultsTest, StallGivesAnEndTimeAfterTheWrite) {
    const auto t0 = Clock::now();
    auto stall = fault_of(Kind::stall, after(2));
    stall.duration = 250ms;
    ConnectionFaults faults(plan_of({stall}), 1, t0);
    faults.on_deliver(1);
    faults.on_deliver(2);
    EXPECT_FALSE(faults.after_write(1, t0).stall_until);
    const auto after2 = faults.after_write(2, t0 + 5ms);
    ASSERT_TRUE(after2.stall_until);
    EXPECT_EQ(*after2.stall_until, t0 + 5ms + std::chrono::duration_cast<Clock::duration>(250ms));
}

TEST(ConnectionFaultsTest, AtTriggersAreDueFromTheOpeningOnce) {
    const auto t0 = Clock::now();
    auto close = fault_of(Kind::close, faults_test::at(300ms));
    close.close_code = 4001;
    ConnectionFaults faults(plan_of({close}), 1, t0);
    ASSERT_TRUE(faults.next_due());
    EXPECT_EQ(*faults.next_due(), t0 + std::chrono::duration_cast<Clock::duration>(300ms));
    EXPECT_EQ(faults.on_deliver(1), 0U) << "an `at` fault does not count messages";
    EXPECT_EQ(faults.on_time(t0 + 299ms), 0U);
    EXPECT_EQ(faults.on_time(t0 + 300ms), 1U);
    EXPECT_FALSE(faults.next_due());
    EXPECT_EQ(faults.on_time(t0 + 1s), 0U);
    // Not tied to a message: acts at once, whatever was written.
    const auto now = faults.after_write(0, t0 + 300ms);
    EXPECT_TRUE(now.close);
    EXPECT_EQ(now.close_code, 4001);
}

TEST(ConnectionFaultsTest, ProducerScopeAndRequestFaultsAreNotCountedPerConnection) {
    const auto t0 = Clock::now();
    ConnectionFaults faults(plan_of({fault_of(Kind::close, every(1), faults::Scope::producer),
                                     fault_of(Kind::status, every(1)), fault_of(Kind::close, faults_test::at(1ms),
                                                                                faults::Scope::producer)}),
                            1, t0);
    EXPECT_FALSE(faults.next_due());
    for (std::uint64_t i = 1; i <= 5; ++i) EXPECT_EQ(faults.on_deliver(i), 0U);
    EXPECT_EQ(faults.on_time(t0 + 1s), 0U);
    EXPECT_TRUE(faults.idle(t0));
}

TEST(ConnectionFaultsTest, InjectedFaultsActOnTheirMessage) {
    const auto t0 = Clock::now();
    ConnectionFaults faults(plan_of({}), 0, t0);
    auto split = std::make_shared<faults::FaultSpec>(fault_of(Kind::split, after(1)));
    split->at_bytes = {2};
    faults.inject(split, 5);
    EXPECT_FALSE(faults.idle(t0));
    EXPECT_EQ(faults.plan_write(5, 4, t0).pieces.size(), 2U);
    faults.inject(std::make_shared<faults::FaultSpec>(fault_of(Kind::reset, after(1))), 5);
    EXPECT_TRUE(faults.after_write(5, t0).reset);
}

TEST(ConnectionFaultsTest, PendingFaultsAreBounded) {
    const auto t0 = Clock::now();
    auto malformed = fault_of(Kind::malformed, every(1));
    malformed.bytes = "m";
    ConnectionFaults faults(plan_of({malformed}), 1, t0);
    // A client that stopped reading: 1000 messages delivered, none written.
    for (std::uint64_t i = 1; i <= 1000; ++i) EXPECT_EQ(faults.on_deliver(i), 1U);
    EXPECT_LE(faults.plan_write(1000, 1, t0).prefix.size(), 64U);
}

TEST(ConnectionFaultsTest, ProbabilityDependsOnTheSeedAndTheConnectionNumber) {
    const auto t0 = Clock::now();
    auto draws = [&](std::uint64_t seed, std::uint64_t connection) {
        ConnectionFaults faults(plan_of({fault_of(Kind::stall, faults_test::probability(0.5))}, seed), connection, t0);
        std::vector<bool> out;
        for (std::uint64_t i = 1; i <= 64; ++i) out.push_back(faults.on_deliver(i) > 0);
        return out;
    };
    EXPECT_EQ(draws(1, 1), draws(1, 1));
    EXPECT_NE(draws(1, 1), draws(1, 2));
    EXPECT_NE(draws(1, 1), draws(2, 1));
}

TEST(ConnectionFaultsTest, TimesBoundsAProbabilityTrigger) {
    const auto t0 = Clock::now();
    auto trigger = faults_test::probability(1.0);  // every event would fire
    trigger.times = 2;
    ConnectionFaults faults(plan_of({fault_of(Kind::stall, trigger)}), 1, t0);
    std::size_t fired = 0;
    for (std::uint64_t i = 1; i <= 50; ++i) fired += faults.on_deliver(i);
    EXPECT_EQ(fired, 2U);
}

// ---- ProducerFaults ----------------------------------------------------------------------------

TEST(ProducerFaultsTest, NoFaultsNoPlan) {
    ProducerFaults faults({}, 42);
    EXPECT_FALSE(faults.any());
    EXPECT_EQ(faults.plan(), nullptr);
    EXPECT_EQ(faults.on_request(), nullptr);
    EXPECT_TRUE(faults.on_event().empty());
    EXPECT_FALSE(faults.next_due());
}

TEST(ProducerFaultsTest, RequestFaultsAreCountedPerRequest) {
    auto status = fault_of(Kind::status, every(2));
    auto redirect = fault_of(Kind::redirect, every(3));
    ProducerFaults faults({status, redirect}, 42);
    ASSERT_TRUE(faults.any());
    std::vector<int> answers;
    for (int i = 1; i <= 6; ++i) {
        const auto fault = faults.on_request();
        answers.push_back(fault ? static_cast<int>(fault->kind) : -1);
    }
    const int s = static_cast<int>(Kind::status);
    const int r = static_cast<int>(Kind::redirect);
    // Request 6 fires both: the first listed wins, and the other still counted it.
    EXPECT_EQ(answers, (std::vector<int>{-1, s, r, s, -1, s}));
    EXPECT_TRUE(faults.on_event().empty()) << "request faults do not count events";
}

TEST(ProducerFaultsTest, ArmedRequestFaultAnswersTheNextRequestOnly) {
    ProducerFaults faults({fault_of(Kind::status, after(5))}, 42);
    auto armed = std::make_shared<faults::FaultSpec>(fault_of(Kind::redirect, after(1)));
    faults.arm(armed);
    EXPECT_EQ(faults.on_request(), armed);
    EXPECT_EQ(faults.on_request(), nullptr);
    // Without a scenario fault too (the control API on a producer with no `faults:`).
    ProducerFaults none({}, 42);
    none.arm(armed);
    EXPECT_EQ(none.on_request(), armed);
    EXPECT_EQ(none.on_request(), nullptr);
}

TEST(ProducerFaultsTest, SeveralArmedRequestFaultsAnswerOneRequestEachInOrder) {
    ProducerFaults faults({}, 42);
    auto first = std::make_shared<faults::FaultSpec>(fault_of(Kind::redirect, after(1)));
    auto second = std::make_shared<faults::FaultSpec>(fault_of(Kind::status, after(1)));
    faults.arm(first);
    faults.arm(second);
    EXPECT_EQ(faults.on_request(), first);
    EXPECT_EQ(faults.on_request(), second);
    EXPECT_EQ(faults.on_request(), nullptr);
    // Bounded: arming far more than are ever used keeps only the newest.
    for (int i = 0; i < 1000; ++i) faults.arm(first);
    faults.arm(second);
    int answered = 0;
    std::shared_ptr<const faults::FaultSpec> last;
    while (auto fault = faults.on_request()) {
        last = fault;
        ++answered;
    }
    EXPECT_LE(answered, 64);
    EXPECT_EQ(last, second);
}

TEST(ProducerFaultsTest, ProducerScopeAndTornWritesCountEventsConnectionScopeDoesNot) {
    ProducerFaults faults({fault_of(Kind::close, after(2), faults::Scope::producer), fault_of(Kind::close, every(1)),
                           fault_of(Kind::torn_write, every(3))},
                          42);
    std::vector<std::size_t> fired;
    for (int i = 1; i <= 6; ++i) fired.push_back(faults.on_event().size());
    EXPECT_EQ(fired, (std::vector<std::size_t>{0, 1, 1, 0, 0, 1}));
    EXPECT_EQ(faults.on_request(), nullptr);
}

TEST(ProducerFaultsTest, AtTriggersFromTheStart) {
    auto stall = fault_of(Kind::stall, faults_test::at(200ms), faults::Scope::producer);
    auto status = fault_of(Kind::status, faults_test::at(100ms));
    auto connection = fault_of(Kind::close, faults_test::at(50ms));  // the connection's own clock
    ProducerFaults faults({stall, status, connection}, 42);
    ASSERT_TRUE(faults.next_due());
    EXPECT_EQ(*faults.next_due(), 100ms);
    EXPECT_TRUE(faults.on_time(99ms).empty());
    EXPECT_EQ(faults.on_request(), nullptr);
    EXPECT_TRUE(faults.on_time(100ms).empty()) << "a request fault is armed, not returned";
    EXPECT_EQ(*faults.next_due(), 200ms);
    const auto armed = faults.on_request();
    ASSERT_NE(armed, nullptr);
    EXPECT_EQ(armed->kind, Kind::status);
    EXPECT_EQ(faults.on_request(), nullptr);
    const auto now = faults.on_time(250ms);
    ASSERT_EQ(now.size(), 1U);
    EXPECT_EQ(now[0]->kind, Kind::stall);
    EXPECT_FALSE(faults.next_due());
    EXPECT_TRUE(faults.on_time(1s).empty());
}

TEST(ProducerFaultsTest, ArmedTornWriteIsTakenOnce) {
    ProducerFaults faults({}, 42);
    EXPECT_EQ(faults.take_armed_write(), nullptr);
    auto torn = std::make_shared<faults::FaultSpec>(fault_of(Kind::torn_write, after(1)));
    faults.arm(torn);
    EXPECT_EQ(faults.on_request(), nullptr) << "a FILE fault is not a request fault";
    EXPECT_EQ(faults.take_armed_write(), torn);
    EXPECT_EQ(faults.take_armed_write(), nullptr);
}

TEST(ProducerFaultsTest, ProbabilityIsReproducibleFromTheSeed) {
    auto draws = [](std::uint64_t seed) {
        ProducerFaults faults({fault_of(Kind::status, faults_test::probability(0.5))}, seed);
        std::vector<bool> out;
        for (int i = 0; i < 64; ++i) out.push_back(faults.on_request() != nullptr);
        return out;
    };
    EXPECT_EQ(draws(42), draws(42));
    EXPECT_NE(draws(42), draws(43));
}

}  // namespace
}  // namespace evsim::producers
