// One WebSocket client: accepts the upgrade, then sends every message the channel delivers as a
// text frame through a bounded queue with one write in flight. A read stays pending for the whole
// session so Beast answers pings and the client's close, and the session notices it going away.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "evsim/core/scenario.hpp"
#include "evsim/net/maybe_tls_stream.hpp"
#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/connection_faults.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/http_types.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/stats.hpp"

namespace evsim::producers {

struct WsSessionOptions {
    scenario::QueueSettings queue;  // per client, with the slow-consumer policy
    // Upgrade and close handshakes. Beast has no limit on waiting for the peer's close frame;
    // ConnectionSet's grace period bounds that on shutdown.
    std::chrono::milliseconds handshake_timeout{10'000};
    // With nothing received for half of this, a ping is sent; with nothing for all of it the
    // connection is dropped. Browsers answer pings, so only dead peers hit this.
    std::chrono::milliseconds idle_timeout{60'000};
    // Clients are not expected to send anything; larger messages end the connection.
    std::size_t max_incoming_message = 64 * 1024;
    bool binary = false;  // binary frames instead of text frames
    // Agreed to when the client offers it in Sec-WebSocket-Protocol (never sent unasked, RFC 6455
    // section 4.2.2); absent: no subprotocol.
    std::optional<std::string> subprotocol;
    bool permessage_deflate = false;  // offered to clients that ask for it (RFC 7692)
};

class WsSession : public Subscriber, public Connection, public std::enable_shared_from_this<WsSession> {
public:
    using OnOpen = std::function<void(const std::shared_ptr<WsSession>& session)>;

    // `faults` (may be null: none) are the producer's; `number` tells this connection's random
    // stream apart from the others'.
    WsSession(net::MaybeTlsStream stream, WsSessionOptions options, std::shared_ptr<EmitterStats> stats,
              LogFunction log, std::string log_prefix, std::shared_ptr<const FaultPlan> faults = nullptr,
              std::uint64_t number = 0);
    ~WsSession() override;

    // Registers with `connections` and answers the upgrade `request`; `on_open` runs once the
    // handshake succeeded (that is where the session subscribes to its channel).
    void start(Request request, ConnectionSet& connections, OnOpen on_open);

    void deliver(const Message& message) override;
    void inject(std::shared_ptr<const faults::FaultSpec> fault, bool next_message) override;
    // What the client offered in Sec-WebSocket-Protocol includes `protocol` (a comma-separated list).
    static bool offers(std::string_view offered, std::string_view protocol);
    // The executor every handler of this session runs on.
    boost::asio::any_io_executor get_executor() { return ws_.get_executor(); }
    // Sends a close frame (going away); the session ends when the client answers it.
    void close() override;
    void abort() override;

private:
    struct Shaping;  // the shaped path's state, only for connections with faults

    void on_accept(const boost::beast::error_code& error);
    void read();
    bool busy() const;
    void write_next();
    void write_fast();
    // The shaped path (ws_session_faults.cpp): malformed frames, fragments with pauses, stalls, a
    // close with a chosen code, a reset.
    void make_shaping(std::shared_ptr<const FaultPlan> plan, std::uint64_t number);
    bool shaped_now() const;
    void write_shaped();
    void write_piece();
    void piece_written(const boost::beast::error_code& error, std::size_t bytes);
    void after_written();
    void arm_due_timer();
    void cancel_shaping();

    boost::beast::websocket::stream<net::MaybeTlsStream> ws_;  // over plain TCP or TLS (wss)
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
    std::unique_ptr<Shaping> shaping_;
    std::uint64_t delivered_ = 0;  // messages delivered so far: the index of the newest one
    std::uint64_t written_ = 0;    // messages written so far
    bool open_ = false;
    bool closing_ = false;
    bool closed_ = false;
};

}  // namespace evsim::producers
