// Counters the emitters keep. Atomics because tests and the CLI read them from other threads while
// the io_context thread updates them; relaxed order is enough for counters.
#pragma once

#include <atomic>
#include <cstdint>

namespace evsim::producers {

struct EmitterStats {
    std::atomic<std::uint64_t> connections_accepted{0};
    std::atomic<std::uint64_t> requests_rejected{0};  // 4xx/5xx answers to bad requests, header timeouts
    std::atomic<std::uint64_t> events_dropped{0};     // oldest events discarded for clients that lag
};

struct StatsSnapshot {
    std::uint64_t connections_accepted = 0;
    std::uint64_t requests_rejected = 0;
    std::uint64_t events_dropped = 0;
};

inline StatsSnapshot snapshot(const EmitterStats& stats) {
    return {stats.connections_accepted.load(std::memory_order_relaxed),
            stats.requests_rejected.load(std::memory_order_relaxed),
            stats.events_dropped.load(std::memory_order_relaxed)};
}

}  // namespace evsim::producers
