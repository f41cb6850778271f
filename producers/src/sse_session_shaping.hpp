// SseSession's shaped-path state, shared by sse_session.cpp (which owns it) and
// sse_session_faults.cpp (which uses it).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <optional>

#include "evsim/producers/sse_session.hpp"

namespace evsim::producers {

struct SseSession::Shaping {
    Shaping(boost::asio::any_io_executor executor, std::shared_ptr<const FaultPlan> plan, std::uint64_t number)
        : faults(std::move(plan), number, std::chrono::steady_clock::now()), timer(executor), due_timer(executor) {}

    struct Piece {
        Message bytes;
        ConnectionFaults::Piece range;
    };

    ConnectionFaults faults;
    boost::asio::steady_timer timer;      // pauses: between pieces, stalls
    boost::asio::steady_timer due_timer;  // `at` triggers of this connection
    std::deque<Piece> pieces;      // the rest of the message being written
    std::uint64_t index = 0;       // that message's number
    std::optional<std::chrono::steady_clock::time_point> stall_until;
    // The pause after a message's last piece (dripping): the next message waits for it.
    std::optional<std::chrono::steady_clock::time_point> not_before;
    bool busy = false;  // writing pieces or pausing
};

}  // namespace evsim::producers
