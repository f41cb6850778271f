// A WebSocket client connection on the core codec (ws_frame / ws_reader / ws_handshake): the
// opening handshake over an already connected stream, then frames read in batches, pings answered
// with masked pongs and the close handshake completed. The load generator's sources and evsim
// check's WebSocket checks both use it, so one codec serves producers and clients alike (and
// Beast's websocket::stream, the heaviest template in the build, is left to the tests, where it
// serves as an independent peer).
//
// Not thread-safe, and one operation at a time: send() must not overlap read() (read() itself
// writes pongs and the close echo between reads).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evsim/core/ws_frame.hpp"
#include "evsim/core/ws_reader.hpp"
#include "evsim/net/maybe_tls_stream.hpp"
#include "evsim/net/url.hpp"

namespace evsim::net {

struct WsHandshakeResult {
    bool ok = false;
    // "upgrade_declined" (an answer other than 101), "handshake" (a 101 without the right Upgrade,
    // Connection or Sec-WebSocket-Accept), "network" (I/O failed or timed out).
    std::string reason;
    unsigned status = 0;  // the answer's status code, 0 when none was read
};

// How read() ended.
enum class WsEnd {
    closed,            // the close handshake completed (either side began it)
    message_too_big,   // a message exceeded the limit; closed with 1009
    invalid_utf8,      // a text message was not UTF-8; closed with 1007
    protocol,          // any other violation of RFC 6455; closed with 1002
    network,           // the connection failed or was closed under us
    stopped,           // WsReadEvents::stop asked to; the connection is open, read() may go on
};
const char* to_string(WsEnd end) noexcept;

struct WsReadEvents {
    // A whole data message (text or binary); the view lasts only during the call.
    std::function<void(ws::Opcode type, std::string_view payload)> message;
    std::function<void(std::string_view payload)> pong;  // optional
    // Asked before each wait for more bytes (so after each batch of frames); true makes read()
    // return WsEnd::stopped, the connection still open (say, to send a close and then read on for
    // the answer). Optional.
    std::function<bool()> stop;
};

class WsClient {
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;

    explicit WsClient(MaybeTlsStream stream, ws::ReaderLimits limits = {});

    // Sends the upgrade request for `endpoint` (plus `headers`, which may replace User-Agent) and
    // checks the 101. Bytes read past the 101 are kept for read().
    boost::asio::awaitable<WsHandshakeResult> handshake(const Endpoint& endpoint, const Headers& headers,
                                                        std::chrono::milliseconds timeout);

    // Reads until the connection ends, reporting messages and pongs to `events`. Answers only the
    // newest waiting ping (RFC 6455 section 5.5.3), echoes the server's close unless we sent ours,
    // and after the close handshake ends the connection (TLS close_notify, then TCP).
    boost::asio::awaitable<WsEnd> read(const WsReadEvents& events);

    // Sends one masked frame; false when the write failed. A close frame marks the connection as
    // closing (read() then waits for the server's close without echoing it).
    boost::asio::awaitable<bool> send(ws::Opcode opcode, std::string_view payload);

    // The code of the server's close frame, once read() has seen it (none when it had no payload).
    const std::optional<std::uint16_t>& peer_close_code() const noexcept { return peer_close_code_; }
    // Which rule the server broke, once read() ended with a violation ("" otherwise).
    std::string_view violation() const noexcept { return reader_.failure() ? reader_.failure()->reason : ""; }
    MaybeTlsStream& stream() noexcept { return stream_; }

private:
    boost::asio::awaitable<void> teardown();

    MaybeTlsStream stream_;
    ws::Reader reader_;
    boost::beast::flat_buffer buffer_;
    std::string out_;  // the frame being written
    bool close_sent_ = false;
    std::optional<std::uint16_t> peer_close_code_;
};

}  // namespace evsim::net
