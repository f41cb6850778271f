// WsSession's shaped-path state, shared by ws_session.cpp (which owns it) and
// ws_session_faults.cpp (which uses it).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <optional>

#include "evsim/producers/ws_session.hpp"

namespace evsim::producers {

// A write that grew the buffer past this releases it afterwards: one big message does not pin its
// memory for the rest of a long-lived connection.
constexpr std::size_t kKeptWriteCapacity = 256U * 1024U;

struct WsSession::Shaping {
    Shaping(boost::asio::any_io_executor executor, std::shared_ptr<const FaultPlan> plan, std::uint64_t number)
        : faults(std::move(plan), number, std::chrono::steady_clock::now()), timer(executor), due_timer(executor) {}

    // A message is being written in fragments (or after a malformed prefix).
    bool busy() const { return message != nullptr; }

    ConnectionFaults faults;
    boost::asio::steady_timer timer;      // pauses between fragments, stalls
    boost::asio::steady_timer due_timer;  // `at` triggers of this connection
    bool waiting = false;                 // `timer` is armed and will call write_next
    Message prefix;                       // a malformed frame's payload, sent before the message
    Message message;                      // the payload being written in fragments (compressed if agreed)
    std::deque<ConnectionFaults::Piece> pieces;
    bool first_piece = true;
    std::chrono::steady_clock::time_point piece_due{};  // the next fragment not before this
    std::optional<std::chrono::steady_clock::time_point> stall_until;
    // The pause after a message's last fragment (dripping): the next message waits for it.
    std::optional<std::chrono::steady_clock::time_point> not_before;
};

}  // namespace evsim::producers
