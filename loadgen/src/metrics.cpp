#include "evsim/loadgen/metrics.hpp"

namespace evsim::loadgen {

void Metrics::merge(const Metrics& o) {
    vus_started += o.vus_started;
    connect_attempts += o.connect_attempts;
    connects += o.connects;
    connect_failures += o.connect_failures;
    disconnects += o.disconnects;
    reconnects += o.reconnects;
    for (const auto& [reason, count] : o.failures) failures[reason] += count;
    events += o.events;
    bytes += o.bytes;
    stamped += o.stamped;
    lost += o.lost;
    duplicates += o.duplicates;
    reordered += o.reordered;
    fetch_requests += o.fetch_requests;
    fetch_failures += o.fetch_failures;
    file_reads += o.file_reads;
    file_torn += o.file_torn;
    pool_waits += o.pool_waits;
    pool_never_granted += o.pool_never_granted;
    latency.merge(o.latency);
    connect_time.merge(o.connect_time);
    first_event.merge(o.first_event);
    reconnect_time.merge(o.reconnect_time);
    pool_wait.merge(o.pool_wait);
    fetch_latency.merge(o.fetch_latency);
    schedule_lag.merge(o.schedule_lag);
}

void Interval::merge(const Interval& o) {
    events += o.events;
    failures += o.failures;
    bytes += o.bytes;
    fetch_requests += o.fetch_requests;
    latency.merge(o.latency);
    fetch_latency.merge(o.fetch_latency);
}

void Interval::reset() {
    events = failures = bytes = fetch_requests = 0;
    latency.reset();
    fetch_latency.reset();
}

void Gauge::add(std::int64_t delta) noexcept {
    const std::int64_t now = value_.fetch_add(delta, std::memory_order_relaxed) + delta;
    std::int64_t peak = peak_.load(std::memory_order_relaxed);
    while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
}

void Recorder::vu_started() {
    std::lock_guard lock(mutex_);
    ++total_.vus_started;
}

void Recorder::connect_attempt() {
    std::lock_guard lock(mutex_);
    ++total_.connect_attempts;
}

void Recorder::connected(std::uint64_t connect_us, bool reconnect, std::uint64_t reconnect_us) {
    std::lock_guard lock(mutex_);
    ++total_.connects;
    total_.connect_time.record(connect_us);
    if (reconnect) {
        ++total_.reconnects;
        total_.reconnect_time.record(reconnect_us);
    }
}

void Recorder::connect_failed(const std::string& reason) {
    std::lock_guard lock(mutex_);
    ++total_.connect_failures;
    ++total_.failures[reason];
    ++interval_.failures;
}

void Recorder::disconnected(const std::string& reason) {
    std::lock_guard lock(mutex_);
    ++total_.disconnects;
    ++total_.failures[reason];
    ++interval_.failures;
}

void Recorder::first_event(std::uint64_t us) {
    std::lock_guard lock(mutex_);
    total_.first_event.record(us);
}

void Recorder::event(std::uint64_t latency_us, bool stamped) {
    std::lock_guard lock(mutex_);
    ++total_.events;
    ++interval_.events;
    if (stamped) {
        ++total_.stamped;
        total_.latency.record(latency_us);
        interval_.latency.record(latency_us);
    }
}

void Recorder::received_bytes(std::uint64_t count) {
    std::lock_guard lock(mutex_);
    total_.bytes += count;
    interval_.bytes += count;
}

void Recorder::stream_finished(const measurement::SequenceTracker& tracker) {
    if (!tracker.started()) return;
    std::lock_guard lock(mutex_);
    total_.lost += tracker.missing();
    total_.duplicates += tracker.duplicates();
    total_.reordered += tracker.reordered();
}

void Recorder::fetch_done(std::uint64_t latency_us, std::uint64_t lag_us, std::uint64_t body_bytes, bool ok,
                          const std::string& failure) {
    std::lock_guard lock(mutex_);
    ++total_.fetch_requests;
    ++interval_.fetch_requests;
    total_.schedule_lag.record(lag_us);
    total_.bytes += body_bytes;
    interval_.bytes += body_bytes;
    if (ok) {
        total_.fetch_latency.record(latency_us);
        interval_.fetch_latency.record(latency_us);
        ++total_.events;
        ++interval_.events;
    } else {
        ++total_.fetch_failures;
        ++total_.failures[failure];
        ++interval_.failures;
    }
}

void Recorder::file_read(bool torn, std::uint64_t bytes) {
    std::lock_guard lock(mutex_);
    ++total_.file_reads;
    total_.bytes += bytes;
    interval_.bytes += bytes;
    if (torn) ++total_.file_torn;
}

void Recorder::pool_waited(std::uint64_t us) {
    std::lock_guard lock(mutex_);
    ++total_.pool_waits;
    total_.pool_wait.record(us);
}

void Recorder::pool_abandoned(std::uint64_t waited_us) {
    std::lock_guard lock(mutex_);
    ++total_.pool_never_granted;
    total_.pool_wait.record(waited_us);
}

void Recorder::schedule_lag(std::uint64_t us) {
    std::lock_guard lock(mutex_);
    total_.schedule_lag.record(us);
}

Metrics Recorder::snapshot() const {
    std::lock_guard lock(mutex_);
    return total_;
}

void Recorder::take_interval(Interval& into) {
    std::lock_guard lock(mutex_);
    into.merge(interval_);
    interval_.reset();
}

}  // namespace evsim::loadgen
