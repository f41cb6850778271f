// Counters the producers keep, per producer and per listening endpoint. Atomics because the control
// API, tests and the CLI read them from other threads while the io_context thread updates them;
// relaxed order is enough for counters.
#pragma once

#include <atomic>
#include <cstdint>

namespace evsim::producers {

struct EmitterStats {
    std::atomic<std::uint64_t> connections_accepted{0};  // TCP connections (endpoints)
    std::atomic<std::uint64_t> requests_rejected{0};     // 4xx/5xx answers to bad requests, header timeouts
    std::atomic<std::uint64_t> requests_served{0};       // fetch answers, SSE streams and WS upgrades begun
    std::atomic<std::uint64_t> events_published{0};      // events the producer made (cadence or publish)
    std::atomic<std::uint64_t> events_dropped{0};        // oldest events discarded for clients that lag
    std::atomic<std::uint64_t> bytes_sent{0};            // stream bytes written (SSE events, WS payloads)
    std::atomic<std::uint64_t> faults_injected{0};
    std::atomic<std::uint64_t> slow_consumers_disconnected{0};  // queue.on_full: disconnect
};

struct StatsSnapshot {
    std::uint64_t connections_accepted = 0;
    std::uint64_t requests_rejected = 0;
    std::uint64_t requests_served = 0;
    std::uint64_t events_published = 0;
    std::uint64_t events_dropped = 0;
    std::uint64_t bytes_sent = 0;
    std::uint64_t faults_injected = 0;
    std::uint64_t slow_consumers_disconnected = 0;

    StatsSnapshot& operator+=(const StatsSnapshot& other) noexcept {
        connections_accepted += other.connections_accepted;
        requests_rejected += other.requests_rejected;
        requests_served += other.requests_served;
        events_published += other.events_published;
        events_dropped += other.events_dropped;
        bytes_sent += other.bytes_sent;
        faults_injected += other.faults_injected;
        slow_consumers_disconnected += other.slow_consumers_disconnected;
        return *this;
    }
};

inline StatsSnapshot snapshot(const EmitterStats& stats) {
    const auto get = [](const std::atomic<std::uint64_t>& counter) { return counter.load(std::memory_order_relaxed); };
    return {get(stats.connections_accepted), get(stats.requests_rejected), get(stats.requests_served),
            get(stats.events_published),     get(stats.events_dropped),    get(stats.bytes_sent),
            get(stats.faults_injected),      get(stats.slow_consumers_disconnected)};
}

inline void count(std::atomic<std::uint64_t>& counter, std::uint64_t amount = 1) {
    counter.fetch_add(amount, std::memory_order_relaxed);
}

}  // namespace evsim::producers
