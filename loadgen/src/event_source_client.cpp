#include "evsim/loadgen/event_source_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "event_source_connection.hpp"
#include "evsim/loadgen/content_type.hpp"
#include "evsim/net/url.hpp"

namespace evsim::loadgen {
namespace asio = boost::asio;

std::string_view to_string(ErrorInfo::Kind kind) {
    switch (kind) {
        case ErrorInfo::Kind::network: return "network";
        case ErrorInfo::Kind::stream_ended: return "stream_ended";
        case ErrorInfo::Kind::status: return "status";
        case ErrorInfo::Kind::content_type: return "content_type";
        case ErrorInfo::Kind::redirect: return "redirect";
        case ErrorInfo::Kind::parse_limit: return "parse_limit";
    }
    return "unknown";
}

namespace {

bool is_redirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

struct EventSourceClient::Impl : std::enable_shared_from_this<Impl>, sse::ParserHandler, detail::StreamSink {
    Impl(asio::any_io_executor ex, EventSourceOptions opts, EventSourceObserver& obs)
        : executor(std::move(ex)),
          options(std::move(opts)),
          observer(obs),
          origin(net::parse_url(options.url)),
          tls(options.tls_context),
          parser(*this, options.limits),
          reconnection_time(options.reconnection_time),
          retry_timer(executor) {
        if (origin.scheme != "http" && origin.scheme != "https") {
            throw net::UrlError("an event source URL must be http:// or https://, not '" + options.url + "'");
        }
        parser.set_last_event_id(options.last_event_id);
        // Made now for an https URL or a CA file, so a bad CA file is an error here, not a reconnect loop.
        if (!tls && (origin.scheme == "https" || !options.tls.ca_file.empty()))
            tls = std::make_shared<asio::ssl::context>(net::make_client_tls_context(options.tls));
    }

    asio::awaitable<void> run();
    void close_now();

    // detail::StreamSink: the response of the current fetch.
    bool on_head(const detail::ResponseHead& head) override;
    bool on_body(std::string_view bytes) override;

    // sse::ParserHandler: what the stream says.
    void on_event(const sse::Event& event) override {
        if (!closed) observer.on_message(event);
    }
    void on_retry(std::uint64_t ms) override {
        // Cap where the timer's nanosecond clock would overflow (about 292 years): any such value
        // means "practically never", and an overflow would wrap to an immediate reconnect.
        constexpr auto kMaxMs = static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(asio::steady_timer::duration::max()).count() / 2);
        reconnection_time = std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(std::min(ms, kMaxMs)));
        if (!closed) observer.on_retry(reconnection_time);
    }
    void on_comment(std::string_view text) override {
        if (!closed) observer.on_comment(text);
    }

    asio::any_io_executor executor;
    EventSourceOptions options;
    EventSourceObserver& observer;
    net::Endpoint origin;
    std::shared_ptr<asio::ssl::context> tls;  // made at the first https request unless shared
    sse::Parser parser;
    std::chrono::milliseconds reconnection_time;
    asio::steady_timer retry_timer;
    detail::AbortHandle abort;
    ReadyState state = ReadyState::connecting;
    bool closed = false;
    // Set by on_head / on_body for the fetch in progress.
    std::optional<ErrorInfo> failure;
    std::optional<net::Endpoint> redirect_to;
    net::Endpoint current;
};

bool EventSourceClient::Impl::on_head(const detail::ResponseHead& head) {
    if (closed) return false;
    if (is_redirect(head.status) && !head.location.empty()) {
        try {
            redirect_to = net::resolve_redirect(current, head.location);
            if (redirect_to->scheme != "http" && redirect_to->scheme != "https") {
                failure = ErrorInfo{ErrorInfo::Kind::redirect, head.status, "redirect to a non-HTTP URL"};
            }
        } catch (const std::exception& e) {
            failure = ErrorInfo{ErrorInfo::Kind::redirect, head.status, e.what()};
        }
        return false;
    }
    if (head.status != 200) {
        failure = ErrorInfo{ErrorInfo::Kind::status, head.status, "HTTP status " + std::to_string(head.status)};
        return false;
    }
    if (!is_event_stream(head.content_type)) {
        failure = ErrorInfo{ErrorInfo::Kind::content_type, head.status,
                            "Content-Type '" + head.content_type + "' is not text/event-stream"};
        return false;
    }
    state = ReadyState::open;
    observer.on_open();
    return !closed;
}

bool EventSourceClient::Impl::on_body(std::string_view bytes) {
    if (closed) return false;
    observer.on_bytes(bytes.size());
    if (closed) return false;
    const sse::ParseError error = parser.feed(bytes);
    if (error != sse::ParseError::none) {
        failure = ErrorInfo{ErrorInfo::Kind::parse_limit, 200, std::string(sse::to_string(error))};
        return false;
    }
    return !closed;
}

asio::awaitable<void> EventSourceClient::Impl::run() {
    auto self = shared_from_this();  // keeps the state alive while the coroutine runs
    int redirects = 0;
    current = origin;
    while (!closed) {
        parser.reset_stream();
        failure.reset();
        redirect_to.reset();
        observer.on_request(current.to_string(), parser.last_event_id());
        if (closed) co_return;
        detail::StreamRequest request{current, options.headers, parser.last_event_id(), options.connect_timeout,
                                      options.tls.verify_peer};
        detail::FetchOutcome outcome;
        try {
            if (!tls) tls = std::make_shared<asio::ssl::context>(net::make_client_tls_context(options.tls));
            outcome = co_await detail::fetch_event_stream(request, *tls, *this, abort);
        } catch (const std::exception& e) {
            outcome = {detail::FetchOutcome::Kind::network_error, e.what()};
        }
        abort.clear();
        if (closed) co_return;
        parser.end_of_stream();

        if (redirect_to && !failure) {
            if (++redirects > options.max_redirects) {
                failure = ErrorInfo{ErrorInfo::Kind::redirect, 0, "more than " + std::to_string(options.max_redirects) +
                                                                      " redirects"};
            } else {
                current = *redirect_to;
                continue;
            }
        }
        if (failure) {
            // "Fail the connection": closed for good, one error event.
            state = ReadyState::closed;
            closed = true;
            observer.on_error(ReadyState::closed, *failure);
            co_return;
        }
        // "Reestablish the connection": error event, wait the reconnection time, fetch again from the
        // original URL with Last-Event-ID.
        const bool ended = outcome.kind == detail::FetchOutcome::Kind::body_ended;
        state = ReadyState::connecting;
        observer.on_error(ReadyState::connecting,
                          ErrorInfo{ended ? ErrorInfo::Kind::stream_ended : ErrorInfo::Kind::network, 0, outcome.message});
        if (closed) co_return;
        redirects = 0;
        current = origin;
        retry_timer.expires_after(reconnection_time);
        co_await retry_timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

void EventSourceClient::Impl::close_now() {
    if (closed) return;
    closed = true;
    state = ReadyState::closed;
    abort.abort();
    retry_timer.cancel();
}

EventSourceClient::EventSourceClient(asio::any_io_executor executor, EventSourceOptions options,
                                     EventSourceObserver& observer)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options), observer)) {}

EventSourceClient::~EventSourceClient() { close(); }

void EventSourceClient::start() {
    asio::co_spawn(impl_->executor, [impl = impl_] { return impl->run(); }, asio::detached);
}

void EventSourceClient::close() {
    asio::dispatch(impl_->executor, [impl = impl_] { impl->close_now(); });
}

ReadyState EventSourceClient::ready_state() const { return impl_->state; }
const std::string& EventSourceClient::last_event_id() const { return impl_->parser.last_event_id(); }
std::chrono::milliseconds EventSourceClient::reconnection_time() const { return impl_->reconnection_time; }

}  // namespace evsim::loadgen
