// One SSE client: the shared response header, then every event the channel delivers, through a
// bounded queue with one write in flight. The body is close-delimited HTTP/1.1 (no Content-Length,
// no chunked encoding): the bytes on the wire are exactly the events, as sse.py sends them.
//
// With faults (connection_faults.hpp) the session leaves its fast path (gather writes of whole
// messages) for a shaped one while a fault is pending or active: one message at a time, cut into
// pieces with pauses, with bytes before it, and closed, reset or stalled after it
// (sse_session_faults.cpp).
#pragma once

#include <atomic>

#include <array>
#include <boost/asio/buffer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "evsim/core/scenario.hpp"
#include "evsim/net/maybe_tls_stream.hpp"
#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/connection_faults.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/stats.hpp"

namespace evsim::producers {

class SseSession : public Subscriber, public Connection, public std::enable_shared_from_this<SseSession> {
public:
    // Events written per gather write at most, when a slow client has a backlog.
    static constexpr std::size_t max_batch = 64;

    // `faults` (may be null: none) are the producer's; `number` tells this connection's random
    // stream apart from the others'.
    SseSession(net::MaybeTlsStream stream, Message response_header, const scenario::QueueSettings& queue,
               std::shared_ptr<EmitterStats> stats, std::shared_ptr<const FaultPlan> faults = nullptr,
               std::uint64_t number = 0);
    ~SseSession() override;

    // Registers with `connections`, writes the header at once (a client sees the 200 before the
    // first event is due) and starts watching for the client going away.
    void start(ConnectionSet& connections);

    void deliver(const Message& message) override;
    void close() override { abort(); }  // ending the body is all an SSE stream can say
    // Ends the body once everything delivered so far is written (a server that finishes its
    // response); what is delivered afterwards is dropped.
    void finish();
    bool closed() const noexcept { return closed_; }
    void abort() override;
    void inject(std::shared_ptr<const faults::FaultSpec> fault, bool next_message) override;

    std::uint64_t dropped() const noexcept { return queue_.dropped(); }
    std::size_t queued() const noexcept { return queue_.size(); }

private:
    struct Shaping;  // the shaped path's state, only for connections with faults

    bool busy() const;  // a write (or a pause between pieces) is in progress
    void write_next();
    void write_in_flight();
    void on_write(const boost::system::error_code& error, std::size_t messages);
    void watch_for_close();
    // The shaped path (sse_session_faults.cpp).
    void make_shaping(std::shared_ptr<const FaultPlan> plan, std::uint64_t number);
    ConnectionFaults& shaping_faults();
    bool shaped_now() const;
    void write_shaped();
    void write_piece();
    void after_written();
    void wait_then_write(std::chrono::steady_clock::time_point until);
    void arm_due_timer();
    void cancel_shaping();
    void reset_connection();

    net::MaybeTlsStream stream_;  // plain or TLS
    OutboundQueue queue_;
    std::vector<Message> in_flight_;  // what the pending write sends; empty when none is pending
    std::vector<boost::asio::const_buffer> buffers_;
    std::shared_ptr<EmitterStats> stats_;
    ConnectionSet::Registration registration_;
    std::array<char, 512> discard_{};  // whatever a client sends after its request is read and ignored
    std::unique_ptr<Shaping> shaping_;
    std::uint64_t delivered_ = 0;  // messages delivered so far: the index of the newest one
    std::uint64_t written_ = 0;    // messages written so far
    bool header_pending_ = true;   // the response header has not been written yet
    bool disconnect_when_full_;    // the slow-consumer policy: close instead of dropping
    bool finishing_ = false;       // finish(): close once the queue is written
    std::atomic<bool> closed_{false};  // read by a dialect producer's thread (closed())
};

}  // namespace evsim::producers
