// Types shared by the HTTP side of the emitters: the request/response shapes, the per-server
// limits, and what a request handler can decide.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <variant>

#include "evsim/net/maybe_tls_stream.hpp"

namespace evsim::producers {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct HttpOptions {
    // Larger request headers are answered 431 and the connection closed.
    std::size_t header_limit = 8 * 1024;
    // Larger request bodies are answered 413 (no emitter expects a body).
    std::uint64_t body_limit = 64 * 1024;
    // Time a connection has to deliver a complete request (and a keep-alive connection to start
    // its next one) before it is closed: a client that connects and sends nothing holds no socket
    // for long.
    std::chrono::milliseconds header_timeout{10'000};
    // The session's own error answers (400, 413, 431, 505) as `{"error":"..."}` instead of text:
    // for the control API, whose every answer is JSON.
    bool json_errors = false;
};

// A handler that keeps the connection for itself (an SSE stream, a WebSocket) returns one of these;
// the HTTP session hands over its stream (plain or TLS, handshake done, no timeout set) and the
// request, then ends.
using TakeOver = std::function<void(net::MaybeTlsStream stream, Request request)>;

// A response the session writes only after `delay` (a producer's simulated latency). The connection
// reads nothing meanwhile, as a slow server's would.
struct DelayedResponse {
    std::chrono::microseconds delay;
    Response response;
};

// A Response is written by the session, which then reads the next request (keep-alive) or closes.
using HandlerResult = std::variant<Response, TakeOver, DelayedResponse>;

// Called on the io_context thread for every complete, well-formed request.
using RequestHandler = std::function<HandlerResult(const Request& request)>;

}  // namespace evsim::producers
