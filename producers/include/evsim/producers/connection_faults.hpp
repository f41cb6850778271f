// The stream faults of one connection: which of its messages a fault applies to, and what that
// means for the next write. Sessions (SSE, WebSocket) ask before and after writing each message and
// carry out the answer with their own mechanics; the decisions live here, once, without sockets.
//
// Messages are numbered from 1 in the order they are delivered to the session. A fault that fires
// on delivery of message N applies to message N (or, if N was dropped from a lagging client's
// queue, to the next message written): `malformed` bytes go before it, `split` cuts it, `drip`
// starts with it; `close`, `reset` and `stall` happen once it is written.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "evsim/core/faults.hpp"

namespace evsim::producers {

// A producer's faults, shared by its connections.
struct FaultPlan {
    std::vector<faults::FaultSpec> faults;
    std::uint64_t seed = 0;
};

class ConnectionFaults {
public:
    using Clock = std::chrono::steady_clock;

    // The plan's connection-scope stream faults, counted for this connection; `connection_number`
    // gives each connection its own random stream.
    ConnectionFaults(std::shared_ptr<const FaultPlan> plan, std::uint64_t connection_number, Clock::time_point opened);

    // Counts message `index` (1-based, delivered now) against the connection-scope triggers.
    // Returns the number of faults that fired (each one is now pending), for the counters.
    std::size_t on_deliver(std::uint64_t index);
    // A fault from outside (producer scope, the control API) for message `index`.
    void inject(std::shared_ptr<const faults::FaultSpec> fault, std::uint64_t index);
    // `at` triggers due at `now`; returns how many fired.
    std::size_t on_time(Clock::time_point now);
    // The earliest pending `at` trigger, for the session's timer.
    std::optional<Clock::time_point> next_due() const;

    // How to write message `index` of `size` bytes: malformed bytes first, then the message in
    // pieces (one piece unless split or dripping), each followed by a pause.
    struct Piece {
        std::size_t offset = 0;
        std::size_t size = 0;
        std::chrono::microseconds pause_after{0};
    };
    struct WritePlan {
        std::string prefix;
        std::vector<Piece> pieces;
    };
    WritePlan plan_write(std::uint64_t index, std::size_t size, Clock::time_point now);

    // What to do once message `index` is written (or now, with index 0, when nothing is pending).
    struct After {
        bool close = false;
        std::uint16_t close_code = 1000;
        bool reset = false;
        std::optional<Clock::time_point> stall_until;
    };
    After after_write(std::uint64_t index, Clock::time_point now);

    // True when nothing is pending and no drip is active: the session may use its fast path.
    bool idle(Clock::time_point now) const;

private:
    // Faults waiting for their message; bounded, so a client that stopped reading while faults
    // keep firing holds a fixed amount of memory (the oldest pending fault is dropped).
    static constexpr std::size_t max_pending = 64;

    struct Pending {
        std::uint64_t index;
        std::shared_ptr<const faults::FaultSpec> fault;  // a plan entry (aliasing the plan) or an injected one
    };
    void add(std::shared_ptr<const faults::FaultSpec> fault, std::uint64_t index);

    struct Drip {
        std::size_t chunk = 1;
        std::chrono::microseconds gap{0};
    };

    std::shared_ptr<const FaultPlan> plan_;
    std::vector<faults::FaultClock> clocks_;  // one per plan fault (unused for other scopes)
    std::vector<Pending> pending_;
    Clock::time_point opened_;
    std::optional<Clock::time_point> drip_until_;
    Drip drip_;
};

}  // namespace evsim::producers
