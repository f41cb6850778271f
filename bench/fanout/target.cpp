#include "target.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <stdexcept>

#include "client_options.hpp"
#include "evsim/net/url.hpp"

namespace evsim::bench::fanout {

ResolvedTarget resolve_target(boost::asio::io_context& io, const std::string& url) {
    net::Endpoint endpoint;
    try {
        endpoint = net::parse_url(url);
    } catch (const net::UrlError& e) {
        throw UsageError("URL '" + url + "': " + e.what());
    }
    ResolvedTarget result{};
    if (endpoint.scheme == "http") {
        result.protocol = Protocol::sse;
    } else if (endpoint.scheme == "ws") {
        result.protocol = Protocol::websocket;
    } else {
        throw UsageError("URL '" + url + "': only http:// (SSE) and ws:// (WebSocket) are supported");
    }
    boost::asio::ip::tcp::resolver resolver(io);
    boost::system::error_code error;
    const auto found = resolver.resolve(endpoint.host, std::to_string(endpoint.port), error);
    if (error || found.empty()) {
        throw std::runtime_error("cannot resolve '" + endpoint.host + "': " + error.message());
    }
    result.target.endpoint = found.begin()->endpoint();
    result.target.host_header = endpoint.host_header();
    result.target.path = endpoint.target;
    // What a browser's EventSource sends, minus cookies and user agent.
    result.target.sse_request = std::make_shared<const std::string>(
        "GET " + endpoint.target + " HTTP/1.1\r\nHost: " + endpoint.host_header() +
        "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
    return result;
}

const char* to_string(Protocol protocol) { return protocol == Protocol::sse ? "sse" : "websocket"; }

}  // namespace evsim::bench::fanout
