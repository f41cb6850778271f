// Opening a client connection asynchronously (resolve, TCP connect, TLS handshake with SNI and
// optional verification) within one deadline, for the load generator's WebSocket and fetch
// sources. The EventSource client has its own (event_source_connection.cpp).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "evsim/net/maybe_tls_stream.hpp"
#include "evsim/net/url.hpp"

namespace evsim::loadgen::detail {

struct Connected {
    std::optional<net::MaybeTlsStream> stream;  // set on success
    std::string error;                          // "connect: Connection refused", "timeout", ...
    std::string reason;                         // short, for counters: "refused", "timeout", "tls", "resolve"
};

// The stream's TCP layer has no deadline set when this returns. `tls_context` must outlive the
// stream. On a timeout the pending step is cancelled and reason is "timeout".
boost::asio::awaitable<Connected> async_connect(const net::Endpoint& endpoint, boost::asio::ssl::context& tls_context,
                                                bool verify_peer, std::chrono::milliseconds timeout);

}  // namespace evsim::loadgen::detail
