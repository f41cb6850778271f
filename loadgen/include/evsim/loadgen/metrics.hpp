// What a load run measures. Every thread records into its own Recorder (its VUs live on that
// thread, so the lock is uncontended except when the reporter reads); the run merges them at the
// end, exactly (histograms add). Gauges that describe the whole process at one instant (open
// connections, pending requests, running VUs) are shared atomics with their peaks.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "evsim/core/latency_histogram.hpp"
#include "evsim/core/sequence_tracker.hpp"

namespace evsim::loadgen {

using histogram::LatencyHistogram;

// Counters and histograms that add up across threads and shards. Durations in microseconds.
struct Metrics {
    std::uint64_t vus_started = 0;
    std::uint64_t connect_attempts = 0;  // SSE, WS connections tried (each reconnect too)
    std::uint64_t connects = 0;          // of those, opened
    std::uint64_t connect_failures = 0;  // of those, failed before opening
    std::uint64_t disconnects = 0;       // open connections that ended or broke
    std::uint64_t reconnects = 0;        // re-opened after a disconnect
    std::map<std::string, std::uint64_t> failures;  // reason -> count: connect failures, disconnects, fetch errors

    std::uint64_t events = 0;   // pushed events (SSE, WS), fetch responses with a body, file records read
    std::uint64_t bytes = 0;    // body bytes received, every source type
    std::uint64_t stamped = 0;  // pushed events carrying measurement metadata (their latency is recorded)
    std::uint64_t lost = 0;     // by sequence number, per stream, across reconnects
    std::uint64_t duplicates = 0;
    std::uint64_t reordered = 0;

    std::uint64_t fetch_requests = 0;
    std::uint64_t fetch_failures = 0;  // network errors, timeouts, statuses other than 2xx and 304

    std::uint64_t file_reads = 0;
    std::uint64_t file_torn = 0;  // reads the FILE codec rejected (a torn or half-written file)

    std::uint64_t pool_waits = 0;         // requests that waited for a browser connection (and got it)
    std::uint64_t pool_never_granted = 0;  // requests still waiting when their VU left

    LatencyHistogram latency;         // pushed events: producer's send stamp -> receipt
    LatencyHistogram connect_time;    // request sent (after any pool wait) -> open
    LatencyHistogram first_event;     // source started -> first event
    LatencyHistogram reconnect_time;  // disconnect -> open again
    LatencyHistogram pool_wait;       // how long a request waited for a browser connection
    LatencyHistogram fetch_latency;   // intended send time -> response read (coordinated omission corrected)
    LatencyHistogram schedule_lag;    // intended -> actual send time of polls, arrival of VUs

    void merge(const Metrics& other);
};

// A slice of the run for the time series: what arrived since the previous slice.
struct Interval {
    std::uint64_t events = 0;
    std::uint64_t failures = 0;  // connect failures, disconnects, failed fetches
    std::uint64_t bytes = 0;
    std::uint64_t fetch_requests = 0;
    LatencyHistogram latency;
    LatencyHistogram fetch_latency;

    void merge(const Interval& other);
    void reset();
};

// A process-wide level and the highest it reached.
class Gauge {
public:
    void add(std::int64_t delta) noexcept;
    std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }
    std::int64_t peak() const noexcept { return peak_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> value_{0};
    std::atomic<std::int64_t> peak_{0};
};

struct Gauges {
    Gauge vus;          // running VUs
    Gauge open;         // open connections (SSE, WS streams)
    Gauge pending;      // requests waiting for a browser connection
};

// One thread's measurements. Every method locks: the owner thread records, the reporter reads.
class Recorder {
public:
    void vu_started();
    void connect_attempt();
    void connected(std::uint64_t connect_us, bool reconnect, std::uint64_t reconnect_us);
    void connect_failed(const std::string& reason);
    void disconnected(const std::string& reason);
    void first_event(std::uint64_t us);
    // One pushed event; `latency_us` when it carried a send stamp.
    void event(std::uint64_t latency_us, bool stamped);
    void received_bytes(std::uint64_t count);
    // A stream's sequence bookkeeping, once, when its source stops.
    void stream_finished(const measurement::SequenceTracker& tracker);
    void fetch_done(std::uint64_t latency_us, std::uint64_t lag_us, std::uint64_t body_bytes, bool ok,
                    const std::string& failure);
    // One poll of a FILE source (its new records are counted as events by event()).
    void file_read(bool torn, std::uint64_t bytes);
    void pool_waited(std::uint64_t us);
    // A request that was still waiting for a browser connection when its source stopped.
    void pool_abandoned(std::uint64_t waited_us);
    void schedule_lag(std::uint64_t us);

    Metrics snapshot() const;
    // Adds what arrived since the last call into `into` and starts a new slice.
    void take_interval(Interval& into);

private:
    mutable std::mutex mutex_;
    Metrics total_;
    Interval interval_;
};

}  // namespace evsim::loadgen
