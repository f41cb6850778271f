// One WebSocket client of a producer, framed by evsim's own codec (core ws_frame / ws_reader):
// answers the upgrade, then sends every message the channel delivers through a bounded queue with
// one write in flight, all queued messages coalesced into that one write. A read stays pending for
// the whole session: it answers pings, completes the close handshake, fails the connection on a
// protocol violation (with the RFC's close code), and notices the client going away. With nothing
// heard from the client for half the idle timeout the session pings it; for all of it, drops it.
#pragma once

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "evsim/core/scenario.hpp"
#include "evsim/core/ws_deflate.hpp"
#include "evsim/core/ws_reader.hpp"
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
    // Writing the 101 response.
    std::chrono::milliseconds handshake_timeout{10'000};
    // With nothing received for half of this, a ping is sent; with nothing for all of it the
    // connection is dropped. Browsers answer pings, so only dead peers hit this.
    std::chrono::milliseconds idle_timeout{60'000};
    // Clients are not expected to send anything; larger messages fail the connection (1009).
    std::size_t max_incoming_message = 64 * 1024;
    bool binary = false;  // binary frames instead of text frames
    // Agreed to when the client offers it in Sec-WebSocket-Protocol (never sent unasked, RFC 6455
    // section 4.2.2); absent: no subprotocol.
    std::optional<std::string> subprotocol;
    bool permessage_deflate = false;  // offered to clients that ask for it (RFC 7692)
};

// The upgrade request is one evsim answers with 101 (is_upgrade is checked before): the version
// is 13 and the key well-formed. Otherwise the reason, for a 426 (version) or 400 response.
struct UpgradeProblem {
    bool wrong_version = false;
    std::string detail;
};
std::optional<UpgradeProblem> check_upgrade(const Request& request);

class WsSession : public Subscriber,
                  public Connection,
                  public std::enable_shared_from_this<WsSession>,
                  private ws::ReaderHandler {
public:
    using OnOpen = std::function<void(const std::shared_ptr<WsSession>& session)>;

    // `faults` (may be null: none) are the producer's; `number` tells this connection's random
    // stream apart from the others'.
    WsSession(net::MaybeTlsStream stream, WsSessionOptions options, std::shared_ptr<EmitterStats> stats,
              LogFunction log, std::string log_prefix, std::shared_ptr<const FaultPlan> faults = nullptr,
              std::uint64_t number = 0);
    ~WsSession() override;

    // Registers with `connections` and answers the upgrade `request` (checked by check_upgrade);
    // `on_open` runs once the 101 is written (that is where the session subscribes to its channel).
    void start(const Request& request, ConnectionSet& connections, OnOpen on_open);

    void deliver(const Message& message) override;
    void inject(std::shared_ptr<const faults::FaultSpec> fault, bool next_message) override;
    // What the client offered in Sec-WebSocket-Protocol includes `protocol` (a comma-separated list).
    static bool offers(std::string_view offered, std::string_view protocol);
    // The executor every handler of this session runs on.
    boost::asio::any_io_executor get_executor() { return stream_.get_executor(); }
    // Sends a close frame (going away); the session ends when the client answers it.
    void close() override;
    void abort() override;

    static constexpr std::size_t max_batch = 64;  // messages coalesced into one write at most

private:
    struct Shaping;  // the shaped path's state, only for connections with faults

    void on_handshake_written(const boost::system::error_code& error);
    void read();
    void on_read(std::size_t bytes);
    // ws::ReaderHandler: what the client sent.
    void on_message(ws::Opcode type, std::string_view payload, bool compressed) override;
    void on_ping(std::string_view payload) override;
    void on_close(std::optional<std::uint16_t> code, std::string_view reason) override;
    // Fails the connection: a close frame with `code`, then the TCP connection closes.
    void fail(std::uint16_t code, std::string_view why);
    void send_close(std::optional<std::uint16_t> code, std::string_view reason = {});
    void arm_idle_timer();

    // Appends a frame of `payload` (compressed when agreed) to out_.
    void append_message(std::string_view payload);
    // Appends up to max_batch queued messages to out_; returns how many.
    std::size_t append_batch();
    bool busy() const;
    bool control_pending() const;
    void write_next();
    // Writes out_; `messages` whole messages end in it.
    void write_out(std::size_t messages, bool shaped_piece);
    void on_written(const boost::system::error_code& error, std::size_t messages, bool shaped_piece);
    void finish_close();

    // The shaped path (ws_session_faults.cpp): malformed frames, fragments with pauses, stalls, a
    // close with a chosen code, a reset.
    void make_shaping(std::shared_ptr<const FaultPlan> plan, std::uint64_t number);
    bool shaped_now() const;
    void write_shaped();
    void write_piece();
    void wait_then_write(std::chrono::steady_clock::time_point until);
    void after_written();
    void arm_due_timer();
    void cancel_shaping();

    net::MaybeTlsStream stream_;  // plain TCP or TLS (wss)
    WsSessionOptions options_;
    OutboundQueue queue_;
    OnOpen on_open_;
    std::shared_ptr<EmitterStats> stats_;
    LogFunction log_;
    std::string log_prefix_;
    ConnectionSet::Registration registration_;
    std::unique_ptr<Shaping> shaping_;

    ws::Reader reader_;
    std::optional<ws::MessageDeflater> deflater_;  // permessage-deflate agreed
    std::optional<ws::MessageInflater> inflater_;
    std::string inflated_;
    std::array<char, 1024> read_buffer_{};
    boost::asio::steady_timer idle_timer_;
    std::chrono::steady_clock::time_point last_heard_{};
    bool pinged_ = false;  // a keep-alive ping went out since the client was last heard

    // Control frames waiting for the next write, at most one of each kind.
    bool ping_pending_ = false;
    bool pong_pending_ = false;
    std::string pending_pong_;  // the newest ping's payload (at most 125 bytes)
    std::string close_frame_;   // the close frame's payload, once one is queued
    std::string out_;          // the bytes of the write in flight
    std::string compressed_;   // one message's deflated payload
    std::vector<Message> batch_;
    std::uint64_t delivered_ = 0;  // messages delivered so far: the index of the newest one
    std::uint64_t written_ = 0;    // messages written so far
    bool writing_ = false;
    bool open_ = false;
    bool closing_ = false;         // no more messages: a close frame is queued or sent
    bool close_queued_ = false;     // a close frame is waiting, in flight or sent
    bool close_in_flight_ = false;  // ... in the write in flight
    bool close_sent_ = false;
    bool close_received_ = false;
    bool tls_shutdown_ = false;    // close_notify under way
    bool failing_ = false;         // the close frame sent is a failure's: close right after it
    bool closed_ = false;
};

}  // namespace evsim::producers
