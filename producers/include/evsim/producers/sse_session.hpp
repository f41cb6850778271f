// One SSE client: the shared response header, then every event the channel delivers, through a
// bounded queue with one write in flight. The body is close-delimited HTTP/1.1 (no Content-Length,
// no chunked encoding): the bytes on the wire are exactly the events, as sse.py sends them.
#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/stats.hpp"

namespace evsim::producers {

// "HTTP/1.1 200 OK" with Content-Type: text/event-stream, Access-Control-Allow-Origin: *,
// Cache-Control: no-cache and Connection: keep-alive, ending with the blank line.
std::string sse_response_header();

class SseSession : public Subscriber, public Connection, public std::enable_shared_from_this<SseSession> {
public:
    // Events written per gather write at most, when a slow client has a backlog.
    static constexpr std::size_t max_batch = 64;

    SseSession(boost::asio::ip::tcp::socket socket, Message response_header, std::size_t queue_capacity,
               std::shared_ptr<EmitterStats> stats);

    // Registers with `connections`, writes the header at once (a client sees the 200 before the
    // first event is due) and starts watching for the client going away.
    void start(ConnectionSet& connections);

    void deliver(const Message& message) override;
    void close() override { abort(); }  // ending the body is all an SSE stream can say
    void abort() override;

    std::uint64_t dropped() const noexcept { return queue_.dropped(); }
    std::size_t queued() const noexcept { return queue_.size(); }

private:
    void write_in_flight();
    void on_write(const boost::system::error_code& error);
    void watch_for_close();

    boost::asio::ip::tcp::socket socket_;
    OutboundQueue queue_;
    std::vector<Message> in_flight_;  // what the pending write sends; empty when none is pending
    std::vector<boost::asio::const_buffer> buffers_;
    std::shared_ptr<EmitterStats> stats_;
    ConnectionSet::Registration registration_;
    std::array<char, 512> discard_{};  // whatever a client sends after its request is read and ignored
    bool closed_ = false;
};

}  // namespace evsim::producers
