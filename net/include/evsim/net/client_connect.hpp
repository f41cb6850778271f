// Opening one client connection step by step on a private io_context, each step bounded by a
// timeout: what the one-question clients share (net::http_exchange, evsim check's stream capture).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "evsim/net/maybe_tls_stream.hpp"
#include "evsim/net/tls.hpp"
#include "evsim/net/url.hpp"

namespace evsim::net {

// Runs `io` until its work is done (one asynchronous step) and throws HttpExchangeError(stage, why)
// when the step set `error`; a timeout reads "no answer within N ms".
void run_step(boost::asio::io_context& io, const boost::system::error_code& error, const char* stage,
              std::chrono::milliseconds timeout);

struct ClientConnection {
    std::unique_ptr<boost::asio::ssl::context> tls_context;  // for https and wss; outlives the stream
    std::optional<MaybeTlsStream> stream;
};

// Resolves, connects and (for https/wss) handshakes with SNI and, unless told not to, certificate
// and host name verification. Throws HttpExchangeError.
ClientConnection connect_client(boost::asio::io_context& io, const Endpoint& server, const ClientTlsOptions& tls,
                                std::chrono::milliseconds timeout);

}  // namespace evsim::net
