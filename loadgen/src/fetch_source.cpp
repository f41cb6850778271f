// A fetch source: polls a URL at a fixed rate over one keep-alive connection, as a dashboard's
// setInterval + fetch does, and measures each response from the time its request was *meant* to be
// sent (the schedule), not from when it went out: a server that stalls delays every request behind
// it, and all of that delay is counted (coordinated omission). When the source falls behind, the
// overdue requests go out back to back and the lag is recorded.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "async_connect.hpp"
#include "evsim/net/tls.hpp"
#include "coroutine_source.hpp"

namespace evsim::loadgen::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxBody = 1024 * 1024;  // a bigger body fails the request

struct FetchPoller : std::enable_shared_from_this<FetchPoller> {
    FetchPoller(const ResolvedSource& source, SourceContext& ctx)
        : settings(source),
          endpoint(net::parse_url(source.url)),
          context(ctx),
          wake(ctx.executor) {
        if (endpoint.scheme != "http" && endpoint.scheme != "https")
            throw std::invalid_argument("a fetch source URL must be http:// or https://, not '" + source.url + "'");
        request = {http::verb::get, endpoint.target, 11};
        request.set(http::field::host, endpoint.host_header());
        request.set(http::field::user_agent, "evsim/0.1");
        request.set(http::field::accept, "*/*");
        for (const auto& [name, value] : settings.headers) request.set(name, value);
    }

    asio::awaitable<void> run();
    // One request on the kept-alive connection (opened first when needed); "" or the failure.
    asio::awaitable<std::string> exchange(std::uint64_t& body_bytes);
    void close_stream();
    void stop();

    ResolvedSource settings;
    net::Endpoint endpoint;
    SourceContext& context;  // valid until stop()
    asio::steady_timer wake;
    http::request<http::empty_body> request;
    std::optional<net::MaybeTlsStream> stream;
    PoolTicket ticket;
    bool granted = false;
    bool stopped = false;
};

void FetchPoller::close_stream() {
    if (!stream) return;
    boost::system::error_code ignored;
    stream->socket().close(ignored);
    stream.reset();
}

asio::awaitable<std::string> FetchPoller::exchange(std::uint64_t& body_bytes) {
    const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(settings.timeout);
    const auto deadline = Clock::now() + timeout;
    if (!stream) {
        Connected connected = co_await async_connect(endpoint, *context.tls, !settings.insecure, timeout);
        if (stopped) co_return "stopped";
        if (!connected.stream) co_return "fetch." + connected.reason;
        stream.emplace(std::move(*connected.stream));
    }
    stream->tcp().expires_at(deadline);
    auto [write_ec, written] = co_await http::async_write(*stream, request, kAwait);
    if (stopped) co_return "stopped";
    if (write_ec) {
        close_stream();
        co_return write_ec == beast::error::timeout ? "fetch.timeout" : "fetch.network";
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    auto [read_ec, read] = co_await http::async_read(*stream, buffer, parser, kAwait);
    if (stopped) co_return "stopped";
    if (read_ec) {
        close_stream();
        if (read_ec == beast::error::timeout) co_return "fetch.timeout";
        if (read_ec == http::error::body_limit) co_return "fetch.body_too_large";
        co_return "fetch.network";
    }
    stream->tcp().expires_never();
    const auto& response = parser.get();
    body_bytes = response.body().size();
    if (!response.keep_alive()) close_stream();
    const unsigned status = response.result_int();
    if ((status >= 200 && status < 300) || status == 304) co_return "";
    co_return "fetch.status_" + std::to_string(status);
}

asio::awaitable<void> FetchPoller::run() {
    auto self = shared_from_this();
    const auto start = Clock::now();
    const auto interval = std::chrono::duration_cast<Clock::duration>(settings.interval);
    for (std::uint64_t k = 0; !stopped; ++k) {
        const auto intended = start + interval * static_cast<Clock::rep>(k);
        if (Clock::now() < intended) {
            wake.expires_at(intended);
            co_await wake.async_wait(kAwait);
            if (stopped) co_return;
        }
        granted = false;
        ticket.acquire(context.pools ? &context.pools->http : nullptr, pool_host_of(settings.url), context, [this] {
            granted = true;
            wake.cancel();
        });
        if (!granted) {
            wake.expires_at(Clock::time_point::max());
            co_await wake.async_wait(kAwait);
            if (stopped) co_return;
        }
        const auto sent = Clock::now();
        std::uint64_t body_bytes = 0;
        const std::string failure = co_await exchange(body_bytes);
        if (stopped) co_return;
        ticket.release();
        context.recorder.fetch_done(micros_between(intended, Clock::now()), micros_between(intended, sent), body_bytes,
                                    failure.empty(), failure);
    }
}

void FetchPoller::stop() {
    if (stopped) return;
    stopped = true;
    wake.cancel();
    close_stream();
    ticket.release();
}

}  // namespace

std::unique_ptr<Source> make_fetch_source(const ResolvedSource& source, SourceContext& context) {
    return std::make_unique<CoroutineSource<FetchPoller>>(source, context);
}

}  // namespace evsim::loadgen::detail
