// The Python event-source library's listener (reference document 001), as its code behaves:
//   GET  /poll/TOKEN        the event stream of TOKEN; a second listener on the token gets 423 Locked
//   POST /ACTION/TOKEN      the request body becomes one event named ACTION on TOKEN's stream
//   POST /close/TOKEN       ends TOKEN's stream (after what was pushed before it)
//   POST /retry/TOKEN       (id mode) `retry: BODY`: the reconnection time in milliseconds
// A token with no listener or an action not allowed: 404; JSON mode and a body that is not JSON: 400.
// Frames end in CRLF; id mode numbers events from one counter shared by all tokens; JSON mode sends
// the data as Python's json.dumps re-serialises it; keep-alive is a `: keepalive <unix time>` comment.
//
// Where the original misbehaves, this follows its documentation: a body with CR line breaks is split
// at them too (the original splits at LF only and sends the CR inside a data line, which ends the
// line early for every EventSource parser).
#include <boost/asio/post.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <map>
#include <sstream>

#include "evsim/core/percent_encoding.hpp"
#include "evsim/core/sse_encoder.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/dialect_producers.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/periodic_timer.hpp"
#include "evsim/producers/sse_session.hpp"
#include "dialect_stream.hpp"
#include "opening_stream.hpp"
#include "python_json.hpp"

namespace evsim::producers {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

constexpr std::string_view kListen = "poll";
constexpr std::string_view kFinish = "close";
constexpr std::string_view kRetry = "retry";

class EventSourceLibProducer final : public HttpProducer, public std::enable_shared_from_this<EventSourceLibProducer> {
public:
    EventSourceLibProducer(asio::io_context& io, const scenario::ProducerSpec& spec, const ProducerContext& context)
        : HttpProducer(spec, context.stats),
          io_(io),
          context_(context),
          settings_(spec_.eventsource_lib),
          connections_(ConnectionSet::create(io)),
          header_(std::make_shared<const std::string>(response_header())) {}

    void start() override {
        if (!settings_.keepalive || keepalive_) return;
        const auto interval = std::max(std::chrono::milliseconds(1),
                                       std::chrono::duration_cast<std::chrono::milliseconds>(*settings_.keepalive));
        keepalive_ = PeriodicTimer::create(io_, interval, [weak = weak_from_this()] {
            if (auto self = weak.lock()) self->send_keepalive();
        });
        keepalive_->start();
    }

    void stop(std::chrono::milliseconds grace) override {
        if (stopped_) return;
        stopped_ = true;
        if (keepalive_) keepalive_->stop();
        connections_->close_all(grace);
        tokens_.clear();
    }

    // The control API's publish: one event to every listening token, named `type` or the first action.
    void publish(std::string_view type, std::string_view data, measurement::DataForm) override {
        const std::string action(type.empty() ? std::string_view(settings_.actions.front()) : type);
        for (auto& [token, listener] : tokens_) {
            if (!listener->alive()) continue;
            if (auto frame = event_frame(action, data)) send(*listener, *frame);
        }
    }

    void inject_fault(std::shared_ptr<const faults::FaultSpec>) override {
        throw std::invalid_argument("eventsource-lib producers take no faults");
    }

    std::size_t clients() const override { return connections_->size(); }

    HandlerResult handle(const Request& request) override {
        const auto route = split(target_path(request.target()));
        if (!route) return text(request, http::status::not_found, "not found: expected /ACTION/TOKEN\n");
        const auto& [action, token] = *route;
        if (request.method() == http::verb::get) {
            if (action != kListen) return text(request, http::status::not_found, "GET listens at /poll/TOKEN\n");
            count(stats_->requests_served);
            if (auto it = tokens_.find(token); it != tokens_.end() && it->second->alive()) {
                return text(request, http::status::locked, "token '" + token + "' already has a listener\n");
            }
            // Reserved now: pushes that arrive while the stream opens wait in the listener.
            auto listener = std::make_shared<Listener>(spec_.queue.max_messages);
            tokens_[token] = listener;
            return TakeOver{[self = shared_from_this(), listener](net::MaybeTlsStream stream, Request) {
                self->open(std::move(stream), listener);
            }};
        }
        if (request.method() != http::verb::post) {
            auto response = text(request, http::status::method_not_allowed, "GET /poll/TOKEN or POST /ACTION/TOKEN\n");
            response.set(http::field::allow, "GET, POST");
            return response;
        }
        count(stats_->requests_served);
        auto it = tokens_.find(token);
        if (it == tokens_.end() || !it->second->alive()) {
            return text(request, http::status::not_found, "no listener on token '" + token + "'\n");
        }
        Listener& listener = *it->second;
        const std::string_view body = request.body();
        if (action == kFinish) {
            listener.finish();
            tokens_.erase(it);  // free at once; the stream ends after what was pushed before
            return text(request, http::status::ok, "");
        }
        if (action == kRetry && settings_.ids) {
            if (body.empty() || body.size() > 9 || body.find_first_not_of("0123456789") != std::string_view::npos) {
                return text(request, http::status::bad_request, "retry: the body must be milliseconds (digits)\n");
            }
            send(listener, std::make_shared<const std::string>("retry: " + std::string(body) + "\r\n\r\n"));
            return text(request, http::status::ok, "");
        }
        if (std::find(settings_.actions.begin(), settings_.actions.end(), action) == settings_.actions.end()) {
            return text(request, http::status::not_found, "unknown action '" + action + "'\n");
        }
        auto frame = event_frame(action, body);
        if (!frame) return text(request, http::status::bad_request, "the body is not JSON\n");
        send(listener, *frame);
        return text(request, http::status::ok, "");
    }

private:
    // A token's stream; finishing: `close` came while it opened.
    // A token's stream: opening (taken, pushes wait) or open.
    using Listener = OpeningStream;

    static Response text(const Request& request, http::status status, std::string body) {
        return make_text_response(request, status, std::move(body));
    }

    // "/ACTION/TOKEN" -> {ACTION, TOKEN}; the library's route is /(.*)/(.*), so the token is the last
    // segment and the action everything before it.
    static std::optional<std::pair<std::string, std::string>> split(std::string_view path) {
        const auto slash = path.rfind('/');
        if (path.size() < 4 || path.front() != '/' || slash == 0 || slash + 1 >= path.size()) return std::nullopt;
        auto action = percent::decode(path.substr(1, slash - 1));  // tornado hands over decoded arguments
        auto token = percent::decode(path.substr(slash + 1));
        if (!action || !token) return std::nullopt;
        return std::make_pair(std::move(*action), std::move(*token));
    }

    // The wire form of one event; nullopt in JSON mode when `data` is not JSON.
    std::optional<Message> event_frame(std::string_view action, std::string_view data) {
        sse::OutgoingEvent event;
        event.type = std::string(action);
        if (settings_.json) {
            boost::system::error_code error;
            const auto parsed = boost::json::parse(data, error);
            if (error) return std::nullopt;
            event.data = python_json_dumps(parsed);
        } else {
            event.data = std::string(data);  // one data line per line, split at CRLF, LF or CR
        }
        // The library writes the id first; the encoder puts it after the event name.
        std::string frame = settings_.ids ? "id: " + std::to_string(++next_id_) + "\r\n" : std::string();
        sse::encode(frame, event, sse::Framing::crlf);
        return std::make_shared<const std::string>(std::move(frame));
    }

    void send(Listener& listener, Message message) {
        count(stats_->events_published);
        listener.deliver(std::move(message));
    }

    void send_keepalive() {
        if (stopped_) return;
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
        auto comment = std::make_shared<const std::string>(": keepalive " + std::to_string(now.count()) + "\r\n");
        for (auto& [token, listener] : tokens_) {
            if (listener->is_opened() && listener->alive()) listener->deliver(comment);
        }
    }

    // On the connection's thread: the stream opens; then, on the producer's thread, the listener
    // learns its session and hands over what was pushed meanwhile.
    void open(net::MaybeTlsStream stream, std::shared_ptr<Listener> listener) {
        open_dialect_stream(io_, std::move(stream), header_, stopped_, spec_.queue, stats_, *connections_,
                            [self = shared_from_this(), listener](std::shared_ptr<SseSession> session,
                                                                  asio::any_io_executor executor) {
                                listener->opened(self->stopped_ ? nullptr : session, executor);
                            });
    }

    // 200, text/event-stream, no caching; a close-delimited body of CRLF-framed events.
    static std::string response_header() {
        http::response<http::empty_body> response{http::status::ok, 11};
        response.set(http::field::server, "evsim");
        response.set(http::field::content_type, "text/event-stream");
        response.set(http::field::cache_control, "no-cache");
        response.set(http::field::connection, "keep-alive");
        std::ostringstream out;
        out << response.base();
        return std::move(out).str();
    }

    asio::io_context& io_;
    ProducerContext context_;
    scenario::EventSourceLibSettings settings_;
    std::shared_ptr<ConnectionSet> connections_;
    Message header_;
    std::map<std::string, std::shared_ptr<Listener>> tokens_;  // on the producer's thread only
    std::shared_ptr<PeriodicTimer> keepalive_;
    std::uint64_t next_id_ = 0;
    bool stopped_ = false;
};

}  // namespace

std::shared_ptr<HttpProducer> make_eventsource_lib_producer(asio::io_context& io, const scenario::ProducerSpec& spec,
                                                            const ProducerContext& context) {
    return std::make_shared<EventSourceLibProducer>(io, spec, context);
}

std::shared_ptr<HttpProducer> make_dialect_producer(asio::io_context& io, const scenario::ProducerSpec& spec,
                                                    const ProducerContext& context) {
    switch (spec.dialect) {
        case scenario::Dialect::eventsource_lib: return make_eventsource_lib_producer(io, spec, context);
        case scenario::Dialect::machbase_watch: return make_machbase_watch_producer(io, spec, context);
        case scenario::Dialect::wakanda_push: return make_wakanda_push_producer(io, spec, context);
        case scenario::Dialect::ctrlx_datalayer: return make_ctrlx_datalayer_producer(io, spec, context);
        case scenario::Dialect::none: break;
    }
    throw std::invalid_argument("not a dialect producer: " + spec.name);
}

}  // namespace evsim::producers
