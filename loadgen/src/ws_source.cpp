// A WebSocket source: connects, reads messages (net::WsClient answers pings with pongs while
// reading) and reconnects by the group's policy, as a dashboard's own code would (browsers have
// none).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "async_connect.hpp"
#include "evsim/core/measurement.hpp"
#include "evsim/core/sequence_tracker.hpp"
#include "evsim/net/tls.hpp"
#include "evsim/net/ws_client.hpp"
#include "coroutine_source.hpp"

namespace evsim::loadgen::detail {

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxMessage = 16 * 1024 * 1024;  // a bigger message fails the connection

struct WsConnection : std::enable_shared_from_this<WsConnection> {
    WsConnection(const ResolvedSource& source, SourceContext& ctx)
        : settings(source),
          endpoint(net::parse_url(source.url)),
          context(ctx),
          wake(ctx.executor) {
        if (endpoint.scheme != "ws" && endpoint.scheme != "wss")
            throw std::invalid_argument("a WebSocket source URL must be ws:// or wss://, not '" + source.url + "'");
    }

    asio::awaitable<void> run();
    asio::awaitable<bool> acquire_connection();
    void on_message(std::string_view text);
    void stop();

    ResolvedSource settings;
    net::Endpoint endpoint;
    SourceContext& context;  // valid until stop()
    asio::steady_timer wake;  // pool waits and reconnect delays; stop() cancels it
    std::optional<net::WsClient> ws;
    PoolTicket ticket;
    measurement::SequenceTracker tracker;
    Clock::time_point started{};
    std::optional<Clock::time_point> disconnected;
    bool open = false;
    bool granted = false;
    bool got_event = false;
    bool stopped = false;
};

asio::awaitable<bool> WsConnection::acquire_connection() {
    granted = false;
    ticket.acquire(context.pools ? &context.pools->ws : nullptr, pool_host_of(settings.url), context, [this] {
        granted = true;
        wake.cancel();
    });
    if (!granted) {
        wake.expires_at(Clock::time_point::max());
        co_await wake.async_wait(kAwait);
    }
    co_return !stopped && granted;
}

void WsConnection::on_message(std::string_view text) {
    if (!got_event) {
        got_event = true;
        context.recorder.first_event(micros_between(started, Clock::now()));
    }
    const auto envelope = measurement::parse_envelope(text);
    if (!envelope) {
        context.recorder.event(0, false);
        return;
    }
    tracker.on_sequence(envelope->stamp.seq);
    const std::int64_t age = unix_now_us() - envelope->stamp.sent_us;
    context.recorder.event(age > 0 ? static_cast<std::uint64_t>(age) : 0, true);
}

asio::awaitable<void> WsConnection::run() {
    auto self = shared_from_this();
    started = Clock::now();
    std::uint32_t failures = 0;  // failed attempts in a row
    auto delay = settings.reconnect.delay;
    const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(settings.timeout);
    net::WsReadEvents events;
    events.message = [this](ws::Opcode, std::string_view message) {
        context.recorder.received_bytes(message.size());
        on_message(message);
    };
    while (!stopped) {
        if (!co_await acquire_connection()) co_return;
        context.recorder.connect_attempt();
        const auto requested = Clock::now();
        Connected connected = co_await async_connect(endpoint, *context.tls, !settings.insecure, timeout);
        if (stopped) co_return;
        std::string failure;
        if (connected.stream) {
            ws.emplace(std::move(*connected.stream), ws::ReaderLimits{kMaxMessage});
            const auto handshake = co_await ws->handshake(endpoint, settings.headers, timeout);
            if (stopped) co_return;
            if (!handshake.ok)
                failure = handshake.reason == "upgrade_declined" ? "ws.upgrade_declined" : "ws.handshake";
        } else {
            failure = "ws." + connected.reason;
        }
        if (failure.empty()) {
            const auto now = Clock::now();
            open = true;
            failures = 0;
            delay = settings.reconnect.delay;
            context.gauges.open.add(1);
            context.recorder.connected(micros_between(requested, now), disconnected.has_value(),
                                       disconnected ? micros_between(*disconnected, now) : 0);
            disconnected.reset();
            const net::WsEnd ended = co_await ws->read(events);
            if (stopped) co_return;
            open = false;
            context.gauges.open.add(-1);
            context.recorder.disconnected(std::string("ws.") + net::to_string(ended));
            disconnected = Clock::now();
        } else {
            context.recorder.connect_failed(failure);
            ++failures;
        }
        ws.reset();
        ticket.release();
        if (!settings.reconnect.enabled) co_return;
        if (settings.reconnect.max_attempts && failures >= *settings.reconnect.max_attempts) co_return;
        wake.expires_after(delay);
        co_await wake.async_wait(kAwait);
        if (failures > 0) {
            const auto grown = std::chrono::duration<double, std::micro>(delay) * settings.reconnect.backoff;
            delay = std::min(settings.reconnect.max_delay,
                             std::chrono::duration_cast<std::chrono::microseconds>(grown));
        }
    }
}

void WsConnection::stop() {
    if (stopped) return;
    stopped = true;
    wake.cancel();
    if (ws) {
        boost::system::error_code ignored;
        ws->stream().socket().close(ignored);  // every pending operation ends
    }
    if (open) context.gauges.open.add(-1);
    open = false;
    ticket.release();
    context.recorder.stream_finished(tracker);
}

}  // namespace

std::unique_ptr<Source> make_ws_source(const ResolvedSource& source, SourceContext& context) {
    return std::make_unique<CoroutineSource<WsConnection>>(source, context);
}

}  // namespace evsim::loadgen::detail
