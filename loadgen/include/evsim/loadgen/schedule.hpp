// When each virtual user of a load run starts and stops, planned up front from the scenario's
// stages, so a run is reproducible and can be split into shards that add up to the whole.
//
// Each user group has its own timeline from 0, and groups run side by side:
// - ramp to N over D (closed model): going up from C, VU k (k = 1..N-C) starts at (k-1)·D/(N-C)
//   after the stage begins, so the first starts at once; going down, the most recently started VU
//   leaves first, the j-th at j·D/(C-N). The running VUs stay until the group's last stage ends.
// - hold D: nothing changes for D.
// - arrival R for D, stay S (open model): VU i arrives at i/R, i = 0.. while i/R < D, and leaves S
//   later (which may be after the stage, or the group, has ended). An arrival while the group
//   already has max_vus arrived VUs running is dropped and counted: delaying it would hide that the
//   system under test is not keeping up.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "evsim/core/load_spec.hpp"

namespace evsim::loadgen {

struct VuSession {
    std::uint32_t group = 0;      // index into LoadSpec::users
    std::uint64_t ordinal = 0;    // 0-based, per group, in start order
    std::chrono::microseconds start{0};
    std::chrono::microseconds stop{0};  // > start, or == start for a zero-length session

    friend bool operator==(const VuSession&, const VuSession&) = default;
};

struct Schedule {
    std::vector<VuSession> sessions;          // sorted by (start, group, ordinal)
    std::chrono::microseconds end{0};         // when the last stage or session ends
    std::uint64_t dropped_arrivals = 0;       // arrivals over a group's max_vus
    std::size_t peak_vus = 0;                 // the most sessions running at one time
};

Schedule plan_schedule(const scenario::LoadSpec& load);

// Shard `index` of `count` (0 <= index < count): every count-th session of the schedule, starting
// with the index-th, so shards are disjoint, cover the whole and each gets an even share of every
// stage. `end` stays the whole run's; dropped arrivals are counted by shard 0 only, and the peak
// is the shard's own.
Schedule shard_schedule(const Schedule& whole, std::size_t index, std::size_t count);

}  // namespace evsim::loadgen
