#include "evsim/net/ws_client.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <random>

#include "evsim/core/ws_handshake.hpp"

namespace evsim::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;

// Masking keys and handshake nonces must be unpredictable to the network (RFC 6455 sections 4.1
// and 5.3); a per-thread generator seeded from random_device is enough for a test client.
std::uint32_t random_bits() {
    thread_local std::mt19937 rng{std::random_device{}()};
    return rng();
}

ws::MaskingKey random_mask() {
    const auto bits = random_bits();
    return {static_cast<std::uint8_t>(bits), static_cast<std::uint8_t>(bits >> 8U),
            static_cast<std::uint8_t>(bits >> 16U), static_cast<std::uint8_t>(bits >> 24U)};
}

// What the reader reports during one feed(), acted on after it (writes happen between reads).
struct Collector : ws::ReaderHandler {
    explicit Collector(const WsReadEvents& reported) : events(reported) {}
    void on_message(ws::Opcode type, std::string_view payload, bool) override {
        if (events.message) events.message(type, payload);
    }
    void on_ping(std::string_view payload) override {
        pong.assign(payload);  // only the newest ping needs its pong (RFC 6455 section 5.5.3)
        pong_due = true;
    }
    void on_pong(std::string_view payload) override {
        if (events.pong) events.pong(payload);
    }
    void on_close(std::optional<std::uint16_t> code, std::string_view) override {
        close_code = code;
        closed = true;
    }

    const WsReadEvents& events;
    std::string pong;
    bool pong_due = false;
    bool closed = false;
    std::optional<std::uint16_t> close_code;
};

WsEnd end_for(std::uint16_t close_code) {
    switch (close_code) {
        case ws::close_code::message_too_big: return WsEnd::message_too_big;
        case ws::close_code::invalid_payload: return WsEnd::invalid_utf8;
        default: return WsEnd::protocol;
    }
}

}  // namespace

const char* to_string(WsEnd end) noexcept {
    switch (end) {
        case WsEnd::closed: return "closed";
        case WsEnd::message_too_big: return "message_too_big";
        case WsEnd::invalid_utf8: return "invalid_utf8";
        case WsEnd::protocol: return "protocol";
        case WsEnd::network: return "network";
        case WsEnd::stopped: return "stopped";
    }
    return "network";
}

WsClient::WsClient(MaybeTlsStream stream, ws::ReaderLimits limits)
    : stream_(std::move(stream)), reader_(ws::Peer::server, limits) {}

asio::awaitable<WsHandshakeResult> WsClient::handshake(const Endpoint& endpoint, const Headers& headers,
                                                       std::chrono::milliseconds timeout) {
    std::array<std::uint8_t, 16> nonce{};
    for (std::size_t i = 0; i < nonce.size(); i += 4) {
        const auto key = random_mask();
        std::copy(key.begin(), key.end(), nonce.begin() + static_cast<std::ptrdiff_t>(i));
    }
    const std::string key = ws::client_key(nonce);
    http::request<http::empty_body> request{http::verb::get, endpoint.target, 11};
    request.set(http::field::host, endpoint.host_header());
    request.set(http::field::upgrade, "websocket");
    request.set(http::field::connection, "Upgrade");
    request.set(http::field::sec_websocket_key, key);
    request.set(http::field::sec_websocket_version, ws::protocol_version);
    request.set(http::field::user_agent, "evsim/0.1");
    for (const auto& [name, value] : headers) request.set(name, value);

    stream_.tcp().expires_after(timeout);
    auto [write_error, written] = co_await http::async_write(stream_, request, kAwait);
    (void)written;
    if (write_error) {
        stream_.tcp().expires_never();
        co_return WsHandshakeResult{false, "network", 0};
    }
    http::response_parser<http::empty_body> parser;
    parser.skip(true);  // a 101 has no body: nothing after its head belongs to HTTP
    auto [read_error, read] = co_await http::async_read_header(stream_, buffer_, parser, kAwait);
    (void)read;
    stream_.tcp().expires_never();
    if (read_error) co_return WsHandshakeResult{false, "network", 0};
    const auto& response = parser.get();
    const unsigned status = response.result_int();
    if (response.result() != http::status::switching_protocols)
        co_return WsHandshakeResult{false, "upgrade_declined", status};
    // RFC 6455 section 4.1: the client MUST fail the connection unless all three are right.
    const bool upgrade = ws::list_contains(response[http::field::upgrade], "websocket");
    const bool connection = ws::list_contains(response[http::field::connection], "upgrade");
    const bool accepted = response[http::field::sec_websocket_accept] == ws::accept_key(key);
    if (!upgrade || !connection || !accepted) co_return WsHandshakeResult{false, "handshake", status};
    co_return WsHandshakeResult{true, "", status};
}

asio::awaitable<bool> WsClient::send(ws::Opcode opcode, std::string_view payload) {
    if (close_sent_) co_return false;  // nothing may follow a close frame (section 5.5.1)
    if (opcode == ws::Opcode::close) close_sent_ = true;
    out_.clear();
    ws::append_frame(out_, opcode, payload, ws::FrameOptions{.mask = random_mask()});
    auto [error, n] = co_await asio::async_write(stream_, asio::buffer(out_), kAwait);
    (void)n;
    co_return !error;
}

asio::awaitable<void> WsClient::teardown() {
    // After the close handshake: TLS says close_notify (a server waiting for it would otherwise keep
    // the connection), then the TCP connection ends. Bounded: a peer that never answers is not waited for.
    stream_.tcp().expires_after(std::chrono::seconds(1));
    if (auto* tls = stream_.tls()) {
        auto [error] = co_await tls->async_shutdown(kAwait);
        (void)error;  // the peer may have closed first; either way the connection is over
    }
    stream_.tcp().expires_never();
    boost::system::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
}

asio::awaitable<WsEnd> WsClient::read(const WsReadEvents& events) {
    Collector collector(events);
    while (true) {
        if (buffer_.size() > 0) {
            const auto data = buffer_.cdata();
            const auto failure =
                reader_.feed(std::string_view(static_cast<const char*>(data.data()), data.size()), collector);
            buffer_.consume(buffer_.size());
            if (failure) {
                co_await send(ws::Opcode::close, ws::close_payload(failure->close_code));
                co_return end_for(failure->close_code);
            }
            // A ping that came before a close is still answered, and first (section 5.5.2).
            if (collector.pong_due) {
                collector.pong_due = false;
                if (!co_await send(ws::Opcode::pong, collector.pong) && !close_sent_) co_return WsEnd::network;
            }
            if (collector.closed) {
                peer_close_code_ = collector.close_code;
                // The echo, unless this is the answer to our own close (section 5.5.1).
                if (!close_sent_) co_await send(ws::Opcode::close, ws::close_payload(collector.close_code));
                co_await teardown();
                co_return WsEnd::closed;
            }
        }
        if (events.stop && events.stop()) co_return WsEnd::stopped;
        auto [error, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kAwait);
        if (error) co_return WsEnd::network;
        buffer_.commit(n);
    }
}

}  // namespace evsim::net
