// This process's CPU time, to tell a client-bound measurement from a server-bound one: a client
// near 100 % of one core is measuring itself.
#pragma once

#include <chrono>

namespace evsim::bench::fanout {

struct CpuSample {
    std::chrono::steady_clock::time_point wall{};
    double cpu_seconds = 0;  // user + system
};

CpuSample sample_cpu();

// CPU used between the samples as a percentage of one core.
double cpu_percent(const CpuSample& from, const CpuSample& to);

}  // namespace evsim::bench::fanout
