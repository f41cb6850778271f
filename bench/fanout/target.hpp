// Turns the URL the client was given into a Target: which protocol, where to connect, what to send.
#pragma once

#include <boost/asio/io_context.hpp>
#include <string>

#include "subscriber.hpp"

namespace evsim::bench::fanout {

enum class Protocol { sse, websocket };

struct ResolvedTarget {
    Protocol protocol;
    Target target;
};

// http:// means SSE, ws:// WebSocket. Throws UsageError for other schemes (TLS is not measured here)
// or a malformed URL, std::runtime_error when the host does not resolve. Resolved once: the
// thousands of connections must not each ask the resolver.
ResolvedTarget resolve_target(boost::asio::io_context& io, const std::string& url);

const char* to_string(Protocol protocol);

}  // namespace evsim::bench::fanout
