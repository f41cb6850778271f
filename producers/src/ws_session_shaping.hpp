// WsSession's shaped-path state, shared by ws_session.cpp (which owns it) and
// ws_session_faults.cpp (which uses it).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <optional>

#include "evsim/producers/ws_session.hpp"

namespace evsim::producers {

struct WsSession::Shaping {
    Shaping(boost::asio::any_io_executor executor, std::shared_ptr<const FaultPlan> plan, std::uint64_t number)
        : faults(std::move(plan), number, std::chrono::steady_clock::now()), timer(executor), due_timer(executor) {}

    ConnectionFaults faults;
    boost::asio::steady_timer timer;      // pauses between fragments, stalls
    boost::asio::steady_timer due_timer;  // `at` triggers of this connection
    Message prefix;                       // a malformed frame to send before the message
    Message message;                      // the message being written in fragments
    std::deque<ConnectionFaults::Piece> pieces;
    std::optional<std::chrono::steady_clock::time_point> stall_until;
    // The pause after a message's last fragment (dripping): the next message waits for it.
    std::optional<std::chrono::steady_clock::time_point> not_before;
    bool busy = false;
};

}  // namespace evsim::producers
