#include "async_connect.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "evsim/net/tls.hpp"

namespace evsim::loadgen::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

std::string reason_of(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout) return "timeout";
    if (ec == asio::error::connection_refused) return "refused";
    if (ec == asio::error::connection_reset) return "reset";
    return "network";
}

Connected failed(const std::string& step, const boost::system::error_code& ec) {
    Connected out;
    out.reason = reason_of(ec);
    out.error = step + ": " + (ec == beast::error::timeout ? std::string("no answer in time") : ec.message());
    return out;
}

}  // namespace

asio::awaitable<Connected> async_connect(const net::Endpoint& endpoint, asio::ssl::context& tls_context,
                                         bool verify_peer, std::chrono::milliseconds timeout) {
    auto executor = co_await asio::this_coro::executor;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // The resolver has no deadline of its own; names here are loopback addresses or local names.
    tcp::resolver resolver(executor);
    auto [resolve_ec, endpoints] = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), kAwait);
    if (resolve_ec) {
        Connected out = failed("resolve " + endpoint.host, resolve_ec);
        out.reason = "resolve";
        co_return out;
    }
    beast::tcp_stream tcp_stream(executor);
    tcp_stream.expires_at(deadline);
    if (auto [ec, ep] = co_await tcp_stream.async_connect(endpoints, kAwait); ec)
        co_return failed("connect to " + endpoint.host_header(), ec);
    boost::system::error_code ignored;
    tcp_stream.socket().set_option(tcp::no_delay(true), ignored);
    Connected out;
    if (!endpoint.tls()) {
        tcp_stream.expires_never();
        out.stream.emplace(std::move(tcp_stream));
        co_return out;
    }
    net::MaybeTlsStream stream(std::move(tcp_stream), tls_context);
    try {
        net::prepare_client_handshake(stream.tls()->native_handle(), endpoint.host, verify_peer);
    } catch (const std::exception& e) {
        out.reason = "tls";
        out.error = e.what();
        co_return out;
    }
    stream.tcp().expires_at(deadline);
    if (auto [ec] = co_await stream.tls()->async_handshake(asio::ssl::stream_base::client, kAwait); ec) {
        Connected tls_failed = failed("TLS handshake with " + endpoint.host_header(), ec);
        if (tls_failed.reason == "network") tls_failed.reason = "tls";
        co_return tls_failed;
    }
    stream.tcp().expires_never();
    out.stream.emplace(std::move(stream));
    co_return out;
}

}  // namespace evsim::loadgen::detail
