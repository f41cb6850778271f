// Plays a schedule: starts and stops virtual users at their planned times on one io_context per
// thread (a VU and its sources live on one thread), samples the measurements every second for the
// live view and the time series, and returns the merged results when the schedule ends or a stop
// is requested (SIGINT, a threshold breached with abort_on_breach).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "evsim/core/load_spec.hpp"
#include "evsim/loadgen/results.hpp"
#include "evsim/loadgen/schedule.hpp"
#include "evsim/loadgen/targets.hpp"

namespace evsim::loadgen {

// What the live view shows, once per sample.
struct Progress {
    double elapsed_s = 0;
    double planned_s = 0;
    std::int64_t vus = 0, open = 0, pending = 0;
    double events_per_s = 0;
    std::uint64_t latency_p99 = 0;  // microseconds, over the last sample
    std::uint64_t events = 0;       // so far
    std::uint64_t failures = 0;     // connect failures, disconnects and failed fetches so far
};

struct LoadRunOptions {
    std::size_t threads = 0;  // event loops; 0: one per core
    std::chrono::milliseconds sample_interval{1000};
    std::function<void(const Progress&)> on_progress;  // on run()'s thread, after every sample
};

class LoadRun {
public:
    // Throws std::invalid_argument when a source cannot be used (a bad URL).
    LoadRun(const scenario::LoadSpec& load, std::vector<TargetGroup> groups, Schedule schedule,
            LoadRunOptions options = {});
    ~LoadRun();
    LoadRun(const LoadRun&) = delete;
    LoadRun& operator=(const LoadRun&) = delete;

    // Blocks until the schedule has played or stop() was called; then stops every VU, joins the
    // threads and returns what was measured (thresholds evaluated). Call once.
    Results run();
    // From any thread: end the run early; `reason` goes into the results ("SIGINT").
    void stop(const std::string& reason);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace evsim::loadgen
