#include "event_source_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "evsim/net/tls.hpp"

namespace evsim::loadgen::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;

FetchOutcome network_error(std::string_view step, const boost::system::error_code& ec) {
    return {FetchOutcome::Kind::network_error, std::string(step) + ": " + ec.message()};
}

// Closing makes every pending operation on the stream finish with operation_aborted. The socket may
// already be closed (the peer went away): that is not an error here.
void close_quietly(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().close(ignored);
}

http::request<http::empty_body> make_request(const StreamRequest& request) {
    http::request<http::empty_body> req{http::verb::get, request.endpoint.target, 11};
    req.set(http::field::host, request.endpoint.host_header());
    req.set(http::field::accept, "text/event-stream");
    req.set(http::field::cache_control, "no-cache");
    req.set(http::field::user_agent, "evsim/0.1");
    if (!request.last_event_id.empty()) req.set("Last-Event-ID", request.last_event_id);
    for (const auto& [name, value] : request.headers) req.set(name, value);
    return req;
}

// The HTTP exchange, the same over plain TCP and TLS.
template <typename Stream>
asio::awaitable<FetchOutcome> exchange(Stream& stream, const StreamRequest& request, StreamSink& sink) {
    auto req = make_request(request);
    if (auto [ec, n] = co_await http::async_write(stream, req, kAwait); ec) co_return network_error("write", ec);

    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(boost::none);  // an event stream has no end; the SSE parser bounds memory
    if (auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kAwait); ec) {
        co_return network_error("reading response head", ec);
    }
    const auto& response = parser.get();
    ResponseHead head;
    head.status = static_cast<int>(response.result_int());
    head.content_type = std::string(response[http::field::content_type]);
    head.location = std::string(response[http::field::location]);
    if (!sink.on_head(head)) co_return FetchOutcome{FetchOutcome::Kind::stopped_by_sink, {}};

    // Browsers put no time limit on an open event stream; neither do we.
    beast::get_lowest_layer(stream).expires_never();
    char chunk[kReadChunk];
    while (!parser.is_done()) {
        parser.get().body().data = chunk;
        parser.get().body().size = sizeof chunk;
        auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, kAwait);
        const std::size_t received = sizeof chunk - parser.get().body().size;
        if (received != 0 && !sink.on_body(std::string_view(chunk, received))) {
            co_return FetchOutcome{FetchOutcome::Kind::stopped_by_sink, {}};
        }
        if (ec == http::error::need_buffer) continue;
        // A TLS peer that closes without close_notify truncates the stream; for a body delimited by
        // the close itself (no length, not chunked: what SSE servers send) that is its normal end.
        if (ec == asio::ssl::error::stream_truncated &&
            (parser.is_done() || (!parser.chunked() && !parser.content_length()))) {
            break;
        }
        if (ec) co_return network_error("reading body", ec);
    }
    co_return FetchOutcome{FetchOutcome::Kind::body_ended, "the server ended the response body"};
}

}  // namespace

asio::awaitable<FetchOutcome> fetch_event_stream(const StreamRequest& request, asio::ssl::context& tls_context,
                                                 StreamSink& sink, AbortHandle& abort) {
    auto executor = co_await asio::this_coro::executor;
    const net::Endpoint& ep = request.endpoint;
    // The abort callbacks below refer to objects in this frame: never leave one behind, on any path.
    struct ClearOnExit {
        AbortHandle& handle;
        ~ClearOnExit() { handle.clear(); }
    } clear_on_exit{abort};

    tcp::resolver resolver(executor);
    abort.set([&resolver] { resolver.cancel(); });
    auto [resolve_ec, endpoints] = co_await resolver.async_resolve(ep.host, std::to_string(ep.port), kAwait);
    abort.clear();
    if (resolve_ec) co_return network_error("resolving " + ep.host, resolve_ec);

    beast::tcp_stream tcp_stream(executor);
    abort.set([&tcp_stream] { close_quietly(tcp_stream); });
    tcp_stream.expires_after(request.connect_timeout);
    if (auto [ec, connected] = co_await tcp_stream.async_connect(endpoints, kAwait); ec) {
        co_return network_error("connecting to " + ep.host_header(), ec);
    }
    boost::system::error_code ignored;
    tcp_stream.socket().set_option(tcp::no_delay(true), ignored);

    if (!ep.tls()) co_return co_await exchange(tcp_stream, request, sink);

    beast::ssl_stream<beast::tcp_stream> tls_stream(std::move(tcp_stream), tls_context);
    abort.set([&tls_stream] { close_quietly(beast::get_lowest_layer(tls_stream)); });
    try {
        net::prepare_client_handshake(tls_stream.native_handle(), ep.host, request.verify_peer);
    } catch (const std::exception& e) {
        co_return FetchOutcome{FetchOutcome::Kind::network_error, e.what()};
    }
    if (auto [ec] = co_await tls_stream.async_handshake(asio::ssl::stream_base::client, kAwait); ec) {
        co_return network_error("TLS handshake with " + ep.host_header(), ec);
    }
    co_return co_await exchange(tls_stream, request, sink);
}

}  // namespace evsim::loadgen::detail
