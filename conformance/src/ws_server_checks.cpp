// The WebSocket server checks (RFC 6455), run with Beast's client over two connections: one reads
// what the server sends for the observation time and pings it, the other closes cleanly.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "check_parts.hpp"
#include "evsim/conformance/server_checks.hpp"
#include "evsim/net/client_connect.hpp"
#include "evsim/net/http_exchange.hpp"

namespace evsim::conformance {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using detail::make_result;
using Clock = std::chrono::steady_clock;

using WsStream = websocket::stream<net::MaybeTlsStream>;

// Connects and upgrades; the handshake's error, if any, in `error`. `tls_context` receives the TLS
// context of a wss connection, which must outlive the stream.
std::unique_ptr<WsStream> open(asio::io_context& io, const net::Endpoint& server, const ServerCheckOptions& options,
                               websocket::response_type& response, beast::error_code& error,
                               std::unique_ptr<asio::ssl::context>& tls_context) {
    auto connection = net::connect_client(io, server, options.tls, options.timeout);
    tls_context = std::move(connection.tls_context);
    connection.stream->tcp().expires_never();  // the WebSocket stream keeps its own time
    auto ws = std::make_unique<WsStream>(std::move(*connection.stream));
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options.timeout;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws->set_option(timeouts);
    ws->set_option(websocket::stream_base::decorator([origin = options.origin](websocket::request_type& request) {
        request.set(beast::http::field::origin, origin);
        request.set(beast::http::field::user_agent, "evsim check");
    }));
    ws->read_message_max(1U << 20U);
    ws->async_handshake(response, server.host_header(), server.target, [&](const beast::error_code& e) { error = e; });
    io.restart();
    io.run();
    return ws;
}

}  // namespace

std::vector<CheckResult> check_ws_server(const std::string& url, const ServerCheckOptions& options) {
    const auto server = net::parse_url(url);
    if (server.scheme != "ws" && server.scheme != "wss") throw net::UrlError("a WebSocket check needs a ws:// or wss:// URL");
    const std::string rfc = "RFC 6455 ";
    std::vector<CheckResult> results;

    // Connection 1: handshake, a ping, then what the server sends.
    asio::io_context io;
    beast::error_code error;
    websocket::response_type response;
    std::unique_ptr<asio::ssl::context> tls_context;
    auto ws = open(io, server, options, response, error, tls_context);
    results.push_back(make_result("ws.handshake", "the upgrade is answered 101 with a valid Sec-WebSocket-Accept",
                                  rfc + "4.2.2", Level::must, !error, "101 Switching Protocols",
                                  error ? std::to_string(response.result_int()) + ": " + error.message()
                                        : std::string("101")));
    if (error) return results;

    bool pong = false;
    ws->control_callback([&](websocket::frame_type kind, beast::string_view payload) {
        if (kind == websocket::frame_type::pong && payload == "evsim") pong = true;
    });
    ws->async_ping("evsim", [&](const beast::error_code& e) { error = e; });
    io.restart();
    io.run();

    // Read until the observation time is over; a timer ends the last read by closing the socket.
    std::size_t messages = 0;
    std::size_t text = 0;
    beast::error_code read_error;
    asio::steady_timer deadline(io, options.observe);
    deadline.async_wait([&](const beast::error_code& e) {
        if (!e) beast::get_lowest_layer(*ws).tcp().close();
    });
    beast::flat_buffer buffer;
    std::function<void()> read = [&] {
        ws->async_read(buffer, [&](const beast::error_code& e, std::size_t) {
            if (e) {
                read_error = e;
                deadline.cancel();
                return;
            }
            ++messages;
            if (ws->got_text()) ++text;
            buffer.clear();
            read();
        });
    };
    read();
    io.restart();
    io.run();
    const bool ended_by_us = read_error == asio::error::operation_aborted || read_error == asio::error::bad_descriptor ||
                             read_error == beast::error::timeout;
    results.push_back(make_result("ws.pong", "a ping is answered with a pong carrying its payload", rfc + "5.5.2",
                                  Level::must, pong, "pong \"evsim\"",
                                  pong ? std::string("pong \"evsim\"") : std::string("no pong while observed")));
    const bool bad_utf8 = read_error == websocket::error::bad_frame_payload;
    results.push_back(make_result("ws.utf8", "text frames carry valid UTF-8", rfc + "8.1", Level::must, !bad_utf8,
                                  "valid UTF-8", bad_utf8 ? "invalid UTF-8 in a text message" : "valid UTF-8"));
    results.push_back(make_result("ws.messages", "messages arrived while observed", rfc + "6.2", Level::info,
                                  messages > 0, "at least one message",
                                  std::to_string(messages) + " messages (" + std::to_string(text) + " text) in " +
                                      detail::milliseconds_text(options.observe)));
    if (!ended_by_us && !bad_utf8)
        results.push_back(make_result("ws.connection", "the connection stays open while observed", rfc + "7",
                                      Level::info, false, "open", "ended: " + read_error.message()));

    // Connection 2: a clean close from the client is answered with a close frame.
    asio::io_context io2;
    websocket::response_type response2;
    std::unique_ptr<asio::ssl::context> tls_context2;
    auto closing = open(io2, server, options, response2, error, tls_context2);
    if (!error) {
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = options.timeout;  // also bounds the closing handshake
        timeouts.idle_timeout = websocket::stream_base::none();
        closing->set_option(timeouts);
        closing->async_close(websocket::close_code::normal, [&](const beast::error_code& e) { error = e; });
        io2.restart();
        io2.run();
    }
    results.push_back(make_result("ws.close", "a close frame is answered with a close frame", rfc + "5.5.1",
                                  Level::must, !error, "the server's close frame",
                                  error ? error.message() : std::string("closed cleanly")));
    return results;
}

}  // namespace evsim::conformance
