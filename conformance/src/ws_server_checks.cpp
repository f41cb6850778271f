// The WebSocket server checks (RFC 6455), run with evsim's own client (net::WsClient, on the core
// codec, which enforces every receiver rule) over two connections: one pings the server and reads
// what it sends for the observation time, the other closes cleanly.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>
#include <optional>

#include "check_parts.hpp"
#include "evsim/conformance/server_checks.hpp"
#include "evsim/net/client_connect.hpp"
#include "evsim/net/http_exchange.hpp"
#include "evsim/net/ws_client.hpp"

namespace evsim::conformance {

namespace {

namespace asio = boost::asio;
using detail::make_result;
constexpr std::size_t kMaxMessage = 1U << 20U;
constexpr std::string_view kPingPayload = "evsim";

// Runs `task` on `io` to its end and returns its value (rethrowing what it threw).
template <class T>
T run_to_end(asio::io_context& io, asio::awaitable<T> task) {
    std::optional<T> value;
    std::exception_ptr failure;
    asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T result) {
        if (e) failure = e;
        else value = std::move(result);
    });
    io.restart();
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*value);
}

// One connection: TCP (and TLS) through connect_client, then the upgrade. The TLS context of a wss
// connection must outlive the stream, so it lives here too.
struct Connection {
    std::unique_ptr<asio::ssl::context> tls_context;
    std::optional<net::WsClient> client;
    net::WsHandshakeResult handshake;
};

void open(asio::io_context& io, const net::Endpoint& server, const ServerCheckOptions& options,
          Connection& connection) {
    auto connected = net::connect_client(io, server, options.tls, options.timeout);
    connection.tls_context = std::move(connected.tls_context);
    connected.stream->tcp().expires_never();
    connection.client.emplace(std::move(*connected.stream), ws::ReaderLimits{kMaxMessage});
    net::WsClient::Headers headers{{"Origin", options.origin}, {"User-Agent", "evsim check"}};
    headers.insert(headers.end(), options.headers.begin(), options.headers.end());
    connection.handshake = run_to_end(io, connection.client->handshake(server, headers, options.timeout));
}

std::string handshake_observed(const net::WsHandshakeResult& handshake) {
    if (handshake.ok) return "101";
    if (handshake.reason == "upgrade_declined") return std::to_string(handshake.status) + " instead of 101";
    if (handshake.reason == "handshake")
        return "101 without Upgrade: websocket, Connection: Upgrade or the right Sec-WebSocket-Accept";
    return "no answer to the upgrade request";
}

// Reads until `limit` is over (then closes the socket under the read), the connection ends or the
// server breaks a rule. `ended_by_us` tells the first case from the others.
net::WsEnd read_for(asio::io_context& io, net::WsClient& client, std::chrono::milliseconds limit,
                    const net::WsReadEvents& events, bool& ended_by_us) {
    ended_by_us = false;
    asio::steady_timer deadline(io, limit);
    deadline.async_wait([&](const boost::system::error_code& e) {
        if (e) return;
        ended_by_us = true;
        boost::system::error_code ignored;
        client.stream().socket().close(ignored);
    });
    auto reading = [&]() -> asio::awaitable<net::WsEnd> {
        const auto end = co_await client.read(events);
        deadline.cancel();
        co_return end;
    };
    return run_to_end(io, reading());
}

}  // namespace

std::vector<CheckResult> check_ws_server(const std::string& url, const ServerCheckOptions& options) {
    const auto server = net::parse_url(url);
    if (server.scheme != "ws" && server.scheme != "wss") throw net::UrlError("a WebSocket check needs a ws:// or wss:// URL");
    const std::string rfc = "RFC 6455 ";
    std::vector<CheckResult> results;

    // Connection 1: the handshake, a ping, then what the server sends.
    asio::io_context io;
    Connection first;
    open(io, server, options, first);
    results.push_back(make_result("ws.handshake", "the upgrade is answered 101 with a valid Sec-WebSocket-Accept",
                                  rfc + "4.2.2", Level::must, first.handshake.ok, "101 Switching Protocols",
                                  handshake_observed(first.handshake)));
    if (!first.handshake.ok) return results;

    const bool ping_sent = run_to_end(io, first.client->send(ws::Opcode::ping, kPingPayload));
    bool pong = false;
    std::size_t messages = 0;
    std::size_t text = 0;
    net::WsReadEvents events;
    events.message = [&](ws::Opcode type, std::string_view) {
        ++messages;
        if (type == ws::Opcode::text) ++text;
    };
    events.pong = [&](std::string_view payload) { pong = pong || payload == kPingPayload; };
    bool ended_by_us = false;
    const net::WsEnd end = ping_sent ? read_for(io, *first.client, options.observe, events, ended_by_us)
                                     : net::WsEnd::network;

    results.push_back(make_result("ws.pong", "a ping is answered with a pong carrying its payload", rfc + "5.5.2",
                                  Level::must, pong, "pong \"evsim\"",
                                  pong ? std::string("pong \"evsim\"") : std::string("no pong while observed")));
    const bool bad_utf8 = end == net::WsEnd::invalid_utf8;
    results.push_back(make_result("ws.utf8", "text frames carry valid UTF-8", rfc + "8.1", Level::must, !bad_utf8,
                                  "valid UTF-8", bad_utf8 ? "invalid UTF-8 in a text message" : "valid UTF-8"));
    const bool bad_frames = end == net::WsEnd::protocol || end == net::WsEnd::message_too_big;
    results.push_back(make_result(
        "ws.framing", "the server's frames follow the base framing protocol (unmasked, valid opcodes and lengths)",
        rfc + "5.2", Level::must, !bad_frames, "valid frames",
        bad_frames ? std::string(first.client->violation()) + " (closed with " +
                         (end == net::WsEnd::protocol ? "1002)" : "1009)")
                   : std::string("valid frames")));
    results.push_back(make_result("ws.messages", "messages arrived while observed", rfc + "6.2", Level::info,
                                  messages > 0, "at least one message",
                                  std::to_string(messages) + " messages (" + std::to_string(text) + " text) in " +
                                      detail::milliseconds_text(options.observe)));
    if (!ended_by_us && !bad_utf8 && !bad_frames) {
        const auto code = first.client->peer_close_code();
        results.push_back(make_result(
            "ws.connection", "the connection stays open while observed", rfc + "7", Level::info, false, "open",
            end == net::WsEnd::closed
                ? "the server closed it" + (code ? " with " + std::to_string(*code) : std::string(" without a code"))
                : std::string("the connection was dropped without a close frame")));
    }

    // Connection 2: a clean close from the client is answered with a close frame.
    asio::io_context io2;
    Connection second;
    open(io2, server, options, second);
    std::string close_observed = "no close frame: " + handshake_observed(second.handshake);
    bool closed = false;
    if (second.handshake.ok) {
        const auto close = ws::close_payload(ws::close_code::normal, "evsim check");
        if (run_to_end(io2, second.client->send(ws::Opcode::close, close))) {
            const auto close_end = read_for(io2, *second.client, options.timeout, {}, ended_by_us);
            closed = close_end == net::WsEnd::closed;
            close_observed = closed             ? std::string("closed cleanly")
                             : ended_by_us      ? "no close frame within " + detail::milliseconds_text(options.timeout)
                                                : std::string("the connection ended without a close frame");
        } else {
            close_observed = "the close frame could not be sent";
        }
    }
    results.push_back(make_result("ws.close", "a close frame is answered with a close frame", rfc + "5.5.1",
                                  Level::must, closed, "the server's close frame", close_observed));
    return results;
}

}  // namespace evsim::conformance
