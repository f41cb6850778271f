#include "evsim/loadgen/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <utility>

namespace evsim::loadgen {

namespace {

using std::chrono::microseconds;

// The peak number of overlapping [start, stop) intervals.
std::size_t peak_of(const std::vector<VuSession>& sessions) {
    std::vector<std::pair<microseconds, int>> edges;
    edges.reserve(sessions.size() * 2);
    for (const auto& s : sessions) {
        if (s.stop <= s.start) continue;
        edges.emplace_back(s.start, +1);
        edges.emplace_back(s.stop, -1);
    }
    std::sort(edges.begin(), edges.end());  // at equal times a stop (-1) sorts before a start
    std::size_t running = 0, peak = 0;
    for (const auto& [time, delta] : edges) {
        running = static_cast<std::size_t>(static_cast<long long>(running) + delta);
        peak = std::max(peak, running);
    }
    return peak;
}

void plan_group(const scenario::UserGroup& group, std::uint32_t index, Schedule& out) {
    std::vector<VuSession> closed;          // closed-model sessions, in start order
    std::vector<std::size_t> running;       // indexes into `closed` of the running ones, oldest first
    std::vector<VuSession> arrived;         // open-model sessions
    std::deque<microseconds> arrived_stops; // stops of the accepted arrivals still running, ascending
    microseconds now{0};
    for (const auto& stage : group.stages) {
        switch (stage.kind) {
            case scenario::LoadStage::Kind::ramp: {
                const std::size_t from = running.size();
                if (stage.target > from) {
                    const std::size_t add = stage.target - from;
                    for (std::size_t k = 0; k < add; ++k) {
                        const auto offset = microseconds(stage.duration.count() * static_cast<long long>(k) /
                                                         static_cast<long long>(add));
                        running.push_back(closed.size());
                        closed.push_back({index, 0, now + offset, microseconds::max()});
                    }
                } else {
                    const std::size_t remove = from - stage.target;
                    for (std::size_t j = 1; j <= remove; ++j) {
                        const auto offset = microseconds(stage.duration.count() * static_cast<long long>(j) /
                                                         static_cast<long long>(remove));
                        closed[running.back()].stop = now + offset;
                        running.pop_back();
                    }
                }
                break;
            }
            case scenario::LoadStage::Kind::hold: break;
            case scenario::LoadStage::Kind::arrival: {
                const double seconds = std::chrono::duration<double>(stage.duration).count();
                for (std::uint64_t i = 0;; ++i) {
                    const double at = static_cast<double>(i) / stage.rate;
                    if (at >= seconds) break;
                    const microseconds arrive = now + microseconds(static_cast<long long>(std::llround(at * 1e6)));
                    while (!arrived_stops.empty() && arrived_stops.front() <= arrive) arrived_stops.pop_front();
                    if (arrived_stops.size() >= group.max_vus) {
                        ++out.dropped_arrivals;
                        continue;
                    }
                    arrived_stops.push_back(arrive + stage.stay);
                    arrived.push_back({index, 0, arrive, arrive + stage.stay});
                }
                break;
            }
        }
        now += stage.duration;
    }
    for (std::size_t i : running) closed[i].stop = now;  // still running when the stages end
    out.end = std::max(out.end, now);
    for (auto* list : {&closed, &arrived}) {
        for (auto& session : *list) {
            out.end = std::max(out.end, session.stop);
            out.sessions.push_back(session);
        }
    }
}

}  // namespace

Schedule plan_schedule(const scenario::LoadSpec& load) {
    Schedule schedule;
    for (std::size_t g = 0; g < load.users.size(); ++g) plan_group(load.users[g], static_cast<std::uint32_t>(g), schedule);
    std::stable_sort(schedule.sessions.begin(), schedule.sessions.end(),
                     [](const VuSession& a, const VuSession& b) {
                         return a.start != b.start ? a.start < b.start : a.group < b.group;
                     });
    // Ordinals per group in start order: the VU's name in logs, and stable across shards.
    std::vector<std::uint64_t> next(load.users.size(), 0);
    for (auto& session : schedule.sessions) session.ordinal = next[session.group]++;
    schedule.peak_vus = peak_of(schedule.sessions);
    return schedule;
}

Schedule shard_schedule(const Schedule& whole, std::size_t index, std::size_t count) {
    if (count == 0 || index >= count) throw std::invalid_argument("shard index must be below the shard count");
    Schedule shard;
    shard.end = whole.end;
    shard.dropped_arrivals = index == 0 ? whole.dropped_arrivals : 0;
    for (std::size_t i = index; i < whole.sessions.size(); i += count) shard.sessions.push_back(whole.sessions[i]);
    shard.peak_vus = peak_of(shard.sessions);
    return shard;
}

}  // namespace evsim::loadgen
