// The browser's connection pool, as evsim load models it for "dashboard" virtual users: per host
// (scheme, host and port) at most six HTTP/1.1 connections at once, shared by EventSources and
// fetches; a source beyond the limit waits, first come first served, until a connection is given
// back, exactly as it would in a browser, and how long it waited is reported. WebSockets have
// their own pool (browsers allow about 255 in all). One pool per virtual user: browsers share the
// limit between the tabs of a profile, and a virtual user is one browser.
//
// No sockets and no executor: the caller asks, is granted now or later through its callback, and
// gives the slot back. Not thread-safe (a virtual user lives on one thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>

namespace evsim::loadgen {

struct PoolHost {
    std::string scheme;  // "http", "https"; ws and wss use a pool of their own
    std::string host;
    std::uint16_t port = 0;

    auto operator<=>(const PoolHost&) const = default;
};

class ConnectionPool {
public:
    using Clock = std::chrono::steady_clock;
    using Id = std::uint64_t;
    // Called when a waiting request gets its connection, with how long it waited.
    using Granted = std::function<void(Clock::duration waited)>;

    // `per_host`: 6 for HTTP/1.1 as browsers do; 0 is no limit (raw mode). `now`: the clock (tests).
    explicit ConnectionPool(std::size_t per_host = 6, std::function<Clock::time_point()> now = Clock::now);

    // Asks for a connection to `host`. Returns the request's id; `granted` is called at once (before
    // this returns) when a connection is free, otherwise when release() frees one for it.
    Id acquire(const PoolHost& host, Granted granted);
    // Gives back a granted connection (the next waiting request for the host is granted, inside
    // this call), or withdraws a waiting request. Unknown ids are ignored.
    void release(Id id);

    std::size_t open(const PoolHost& host) const;
    std::size_t waiting(const PoolHost& host) const;
    std::size_t waiting() const noexcept { return waiting_total_; }
    bool is_waiting(Id id) const;

private:
    struct Waiter {
        Id id;
        Granted granted;
        Clock::time_point since;
    };
    struct Host {
        std::size_t open = 0;
        std::deque<Waiter> queue;
    };

    std::size_t per_host_;
    std::function<Clock::time_point()> now_;
    std::map<PoolHost, Host> hosts_;
    std::unordered_map<Id, PoolHost> granted_;  // id -> its host, while it holds a connection
    std::unordered_map<Id, PoolHost> queued_;   // id -> its host, while it waits
    std::size_t waiting_total_ = 0;
    Id next_id_ = 1;
};

}  // namespace evsim::loadgen
