// One WebSocket client: accepts the upgrade, then sends every message the channel delivers as a
// text frame through a bounded queue with one write in flight. A read stays pending for the whole
// session so Beast answers pings and the client's close, and the session notices it going away.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/http_types.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/stats.hpp"

namespace evsim::producers {

struct WsSessionOptions {
    std::size_t queue_capacity = OutboundQueue::default_capacity;
    // Upgrade and close handshakes. Beast has no limit on waiting for the peer's close frame;
    // ConnectionSet's grace period bounds that on shutdown.
    std::chrono::milliseconds handshake_timeout{10'000};
    // With nothing received for half of this, a ping is sent; with nothing for all of it the
    // connection is dropped. Browsers answer pings, so only dead peers hit this.
    std::chrono::milliseconds idle_timeout{60'000};
    // Clients are not expected to send anything; larger messages end the connection.
    std::size_t max_incoming_message = 64 * 1024;
};

class WsSession : public Subscriber, public Connection, public std::enable_shared_from_this<WsSession> {
public:
    using OnOpen = std::function<void(const std::shared_ptr<WsSession>& session)>;

    WsSession(boost::beast::tcp_stream stream, WsSessionOptions options, std::shared_ptr<EmitterStats> stats,
              LogFunction log, std::string log_prefix);

    // Registers with `connections` and answers the upgrade `request`; `on_open` runs once the
    // handshake succeeded (that is where the session subscribes to its channel).
    void start(Request request, ConnectionSet& connections, OnOpen on_open);

    void deliver(const Message& message) override;
    // Sends a close frame (going away); the session ends when the client answers it.
    void close() override;
    void abort() override;

private:
    void on_accept(const boost::beast::error_code& error);
    void read();
    void write_next();

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    WsSessionOptions options_;
    OutboundQueue queue_;
    Message in_flight_;  // the message the pending write sends
    Request request_;    // the upgrade request, kept while async_accept uses it
    OnOpen on_open_;
    boost::beast::flat_buffer read_buffer_;
    std::shared_ptr<EmitterStats> stats_;
    LogFunction log_;
    std::string log_prefix_;
    ConnectionSet::Registration registration_;
    bool open_ = false;
    bool closing_ = false;
    bool closed_ = false;
};

}  // namespace evsim::producers
