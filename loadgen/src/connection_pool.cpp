#include "evsim/loadgen/connection_pool.hpp"

#include <algorithm>
#include <utility>

namespace evsim::loadgen {

ConnectionPool::ConnectionPool(std::size_t per_host, std::function<Clock::time_point()> now)
    : per_host_(per_host), now_(std::move(now)) {}

ConnectionPool::Id ConnectionPool::acquire(const PoolHost& host, Granted granted) {
    const Id id = next_id_++;
    Host& entry = hosts_[host];
    if (per_host_ == 0 || entry.open < per_host_) {
        ++entry.open;
        granted_.emplace(id, host);
        if (granted) granted(Clock::duration::zero());
        return id;
    }
    entry.queue.push_back({id, std::move(granted), now_()});
    queued_.emplace(id, host);
    ++waiting_total_;
    return id;
}

void ConnectionPool::release(Id id) {
    if (const auto it = queued_.find(id); it != queued_.end()) {
        auto& queue = hosts_[it->second].queue;
        queue.erase(std::find_if(queue.begin(), queue.end(), [id](const Waiter& w) { return w.id == id; }));
        queued_.erase(it);
        --waiting_total_;
        return;
    }
    const auto it = granted_.find(id);
    if (it == granted_.end()) return;
    const PoolHost host = it->second;
    granted_.erase(it);
    Host& entry = hosts_[host];
    if (entry.queue.empty()) {
        --entry.open;
        return;
    }
    // The connection goes straight to the first in line; `open` stays the same.
    Waiter next = std::move(entry.queue.front());
    entry.queue.pop_front();
    queued_.erase(next.id);
    --waiting_total_;
    granted_.emplace(next.id, host);
    if (next.granted) next.granted(now_() - next.since);
}

std::size_t ConnectionPool::open(const PoolHost& host) const {
    const auto it = hosts_.find(host);
    return it == hosts_.end() ? 0 : it->second.open;
}

std::size_t ConnectionPool::waiting(const PoolHost& host) const {
    const auto it = hosts_.find(host);
    return it == hosts_.end() ? 0 : it->second.queue.size();
}

bool ConnectionPool::is_waiting(Id id) const { return queued_.count(id) != 0; }

}  // namespace evsim::loadgen
