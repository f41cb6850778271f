// "No per-event allocation on the receive path", checked: every operator new outside the
// producers' thread is counted while SSE and WebSocket subscribers receive thousands of events.
// Connecting, the per-sample bookkeeping and the run's start and end allocate; receiving an event
// must not, so the allocations between two points of a run stay far below the events received
// between them.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "evsim/core/scenario.hpp"
#include "evsim/loadgen/load_run.hpp"
#include "evsim/loadgen/schedule.hpp"
#include "evsim/loadgen/targets.hpp"
#include "producers_on_thread.hpp"

namespace {

std::atomic<std::uint64_t> g_allocations{0};
thread_local bool t_not_counted = false;  // set on the producers' thread

}  // namespace

// Every non-aligned form, so no allocation escapes the count and every pointer is freed by the
// allocator that made it (AddressSanitizer checks that new and delete match). GCC cannot see that
// these deletes are the pairs of these news.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
void* counted_malloc(std::size_t size) noexcept {
    if (!t_not_counted) g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}
void* counted_or_throw(std::size_t size) {
    if (void* p = counted_malloc(size)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return counted_or_throw(size); }
void* operator new[](std::size_t size) { return counted_or_throw(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_malloc(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_malloc(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace evsim::loadgen {
namespace {

using namespace std::chrono_literals;

scenario::ProducerSpec producer(const std::string& name, scenario::ProducerType type) {
    scenario::ProducerSpec p;
    p.name = name;
    p.type = type;
    p.cadence = cadence::FixedInterval{std::chrono::hours(1)};  // only what the test publishes
    p.measurement_metadata = true;
    p.queue.max_messages = 100'000;  // nothing dropped when a burst outpaces the subscribers
    if (type == scenario::ProducerType::sse) p.sse.id = scenario::SseIdScheme::measurement;
    return p;
}

TEST(ReceiveAllocations, ReceivingEventsDoesNotAllocatePerEvent) {
    constexpr std::size_t kVus = 5;           // each with one SSE and one WebSocket source
    constexpr int kWarmEvents = 500;          // grows every buffer to its working size
    constexpr int kCountedEvents = 4000;      // per producer, received by every VU
    scenario::Scenario s;
    s.source = "test";
    s.producers = {producer("sse", scenario::ProducerType::sse), producer("ws", scenario::ProducerType::ws)};
    scenario::LoadSpec load;
    scenario::UserGroup group;
    group.name = "g";
    for (const auto* name : {"sse", "ws"}) {
        scenario::LoadSource source;
        source.producer = name;
        source.type = std::string(name) == "sse" ? scenario::ProducerType::sse : scenario::ProducerType::ws;
        group.sources.push_back(source);
    }
    scenario::LoadStage ramp;
    ramp.kind = scenario::LoadStage::Kind::ramp;
    ramp.target = kVus;
    scenario::LoadStage hold;
    hold.kind = scenario::LoadStage::Kind::hold;
    hold.duration = 60s;  // ended by the test once it has counted
    group.stages = {ramp, hold};
    load.users.push_back(group);
    s.load = load;

    testing::ProducersOnThread producers(s);
    producers.call([] { t_not_counted = true; });

    LoadRunOptions options;
    options.threads = 1;
    options.sample_interval = 200ms;
    LoadRun* self = nullptr;
    enum class Phase { connecting, warming, counting, done } phase = Phase::connecting;
    std::uint64_t allocations_before = 0, events_before = 0, allocations_after = 0, events_after = 0;
    const std::uint64_t subscribers = 2 * kVus;
    options.on_progress = [&](const Progress& p) {
        if (phase == Phase::connecting && p.open == static_cast<std::int64_t>(subscribers)) {
            producers.publish("sse", kWarmEvents);
            producers.publish("ws", kWarmEvents);
            phase = Phase::warming;
        } else if (phase == Phase::warming && p.events >= subscribers * (kWarmEvents + 1)) {
            allocations_before = g_allocations.load();
            events_before = p.events;
            producers.publish("sse", kCountedEvents);
            producers.publish("ws", kCountedEvents);
            phase = Phase::counting;
        } else if (phase == Phase::counting && p.events >= subscribers * (kWarmEvents + kCountedEvents + 1)) {
            allocations_after = g_allocations.load();
            events_after = p.events;
            phase = Phase::done;
            self->stop("counted");
        }
    };
    LoadRun run(*s.load, resolve_targets(s, producers.urls()), plan_schedule(*s.load), options);
    self = &run;
    const Results results = run.run();
    ASSERT_EQ(phase, Phase::done) << "events received: " << results.metrics.events;
    EXPECT_EQ(results.metrics.lost, 0u);
    const auto events = events_after - events_before;
    const auto allocations = allocations_after - allocations_before;
    EXPECT_GE(events, subscribers * kCountedEvents);
    // The samples taken meanwhile allocate a little each; one allocation per event would be 40,000.
    EXPECT_LT(allocations, events / 100) << allocations << " allocations for " << events << " events";
    std::printf("receive path: %llu allocations for %llu events\n", static_cast<unsigned long long>(allocations),
                static_cast<unsigned long long>(events));
}

}  // namespace
}  // namespace evsim::loadgen
