#include "cpu_clock.hpp"

#include <sys/resource.h>

namespace evsim::bench::fanout {

namespace {
double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }
}  // namespace

CpuSample sample_cpu() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return {std::chrono::steady_clock::now(), seconds(usage.ru_utime) + seconds(usage.ru_stime)};
}

double cpu_percent(const CpuSample& from, const CpuSample& to) {
    const std::chrono::duration<double> wall = to.wall - from.wall;
    return wall.count() > 0 ? 100.0 * (to.cpu_seconds - from.cpu_seconds) / wall.count() : 0.0;
}

}  // namespace evsim::bench::fanout
