// The server-side SSE push module (reference document 004), as its documentation describes it:
//   GET /eventsource        every event: messages (push) and named events (pushEvent)
//   GET /eventsource/a,b    only the named events a and b; plain messages are not sent
// A `: connection ready` comment opens every stream; CORS as the scenario says. Events are pushed
// to everyone or to sessions, users or groups (control API), each connection identified by a
// cookie, header or query parameter. Every event has an id; a client reconnecting with
// Last-Event-ID gets what it missed from a bounded ring (500 events, 2 MB, 2 hours by default) —
// the original's replay loop is broken, this one replays. pause(delay) sends `retry:` and can close
// the streams after a hold, so clients come back later.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>

#include "evsim/core/percent_encoding.hpp"
#include "evsim/core/sse_encoder.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/cors.hpp"
#include "evsim/producers/dialect_producers.hpp"
#include "evsim/producers/event_feed.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/push_producer.hpp"
#include "evsim/producers/replay_ring.hpp"
#include "evsim/producers/sse_session.hpp"
#include "dialect_stream.hpp"
#include "opening_stream.hpp"

namespace evsim::producers {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using scenario::PushIdentity;

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// Comma-separated items, trimmed, empty ones dropped.
std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    while (true) {
        const auto comma = text.find(',');
        const auto item = trim(text.substr(0, comma));
        if (!item.empty()) items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return items;
}

// The value `identity` names in `request`, or "".
std::string identity_of(const Request& request, const PushIdentity& identity) {
    switch (identity.from) {
        case PushIdentity::From::none: return "";
        case PushIdentity::From::header: return std::string(request[identity.name]);
        case PushIdentity::From::cookie: {
            std::string_view cookies = request[http::field::cookie];
            while (!cookies.empty()) {
                const auto semicolon = cookies.find(';');
                const auto pair = trim(cookies.substr(0, semicolon));
                const auto equals = pair.find('=');
                if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == identity.name)
                    return std::string(trim(pair.substr(equals + 1)));
                if (semicolon == std::string_view::npos) break;
                cookies.remove_prefix(semicolon + 1);
            }
            return "";
        }
        case PushIdentity::From::query: {
            const auto url = boost::urls::parse_origin_form(request.target());
            if (!url) return "";
            for (const auto& param : url->params())
                if (param.key == identity.name) return param.value;
            return "";
        }
    }
    return "";
}

struct EventMeta {
    std::string name;  // empty: a plain message
    PushTarget target;
};

struct Client {
    explicit Client(std::size_t max_pending) : stream(max_pending) {}
    OpeningStream stream;           // what is due to it while it opens waits there (its replay first)
    std::vector<std::string> only;  // /eventsource/a,b: these named events only
    std::string session_id, user;
    std::vector<std::string> groups;
};

bool listed(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool wants(const Client& client, const EventMeta& event) {
    if (!client.only.empty() && (event.name.empty() || !listed(client.only, event.name))) return false;
    const auto& t = event.target;
    if (t.everyone()) return true;
    if (!client.session_id.empty() && listed(t.sessions, client.session_id)) return true;
    if (!client.user.empty() && listed(t.users, client.user)) return true;
    return std::any_of(client.groups.begin(), client.groups.end(), [&](const std::string& g) { return listed(t.groups, g); });
}

class WakandaPushProducer final : public HttpProducer, public std::enable_shared_from_this<WakandaPushProducer> {
public:
    WakandaPushProducer(asio::io_context& io, const scenario::ProducerSpec& spec, const ProducerContext& context)
        : HttpProducer(spec, context.stats),
          io_(io),
          context_(context),
          settings_(spec_.push),
          connections_(ConnectionSet::create(io)),
          ring_(ReplayLimits{settings_.replay.max_events, settings_.replay.max_bytes,
                             std::chrono::duration_cast<std::chrono::milliseconds>(settings_.replay.max_age)}),
          hold_timer_(io) {
        cadence::validate(spec_.cadence);
        payload::validate(spec_.payload);
    }

    void start() override {
        if (feed_ || stopped_ || !settings_.generate) return;
        feed_ = EventFeed::create(io_, feed_options(spec_, context_), [weak = weak_from_this()](const FeedEvent& event) {
            if (auto self = weak.lock()) self->send(std::string(event.type), event.data, PushTarget{});
        });
        feed_->start();
    }

    void stop(std::chrono::milliseconds grace) override {
        if (stopped_) return;
        stopped_ = true;
        if (feed_) feed_->stop();
        hold_timer_.cancel();
        clients_.clear();
        connections_->close_all(grace);
    }

    void publish(std::string_view type, std::string_view data, measurement::DataForm) override {
        send(std::string(type), data, PushTarget{});
    }

    void publish_to(std::string_view type, std::string_view data, measurement::DataForm,
                    const PushTarget& target) override {
        send(std::string(type), data, target);
    }

    void pause(std::chrono::milliseconds delay, std::optional<std::chrono::milliseconds> hold) override {
        auto retry = std::make_shared<const std::string>("retry: " + std::to_string(delay.count()) + "\n\n");
        prune();
        for (const auto& client : clients_) client->stream.deliver(retry);
        if (!hold) return;
        hold_timer_.expires_after(*hold);
        hold_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
            auto self = weak.lock();
            if (error || !self || self->stopped_) return;
            // The streams end; the clients come back after the retry delay.
            for (const auto& client : self->clients_) {
                if (client->stream.is_opened()) client->stream.finish();  // one still opening keeps its stream
            }
        });
    }

    void inject_fault(std::shared_ptr<const faults::FaultSpec>) override {
        throw std::invalid_argument("wakanda-push producers take no faults");
    }

    std::size_t clients() const override { return connections_->size(); }

    HandlerResult handle(const Request& request) override {
        if (request.method() == http::verb::options) return make_cors_preflight(spec_.cors, request, "GET, OPTIONS");
        if (request.method() != http::verb::get) return make_method_not_allowed(request, "GET, OPTIONS");
        auto client = std::make_shared<Client>(spec_.queue.max_messages);
        const std::string_view path = target_path(request.target());
        const std::string& base = spec_.paths.front();
        if (path.size() > base.size() + 1) {
            const auto decoded = percent::decode(path.substr(base.size() + 1));
            if (!decoded) return make_text_response(request, http::status::bad_request, "malformed event list\n");
            client->only = split_list(*decoded);
        }
        client->session_id = identity_of(request, settings_.session);
        client->user = identity_of(request, settings_.user);
        client->groups = split_list(identity_of(request, settings_.groups));
        count(stats_->requests_served);
        // What it missed goes first, then what is pushed while its stream opens, then the live events.
        const std::string_view last_id = request["Last-Event-ID"];
        if (!last_id.empty() && settings_.replay.enabled) {
            auto missed = ring_.after(last_id, ReplayRing::Clock::now());
            for (std::size_t i = 0; i < missed.events.size(); ++i) {
                const auto* meta = static_cast<const EventMeta*>(missed.contexts[i].get());
                if (meta && wants(*client, *meta)) client->stream.deliver(missed.events[i]);
            }
        }
        prune();
        clients_.push_back(client);
        auto header = dialect_stream_head(&spec_.cors, request, ": connection ready\n\n");
        return TakeOver{[self = shared_from_this(), client, header](net::MaybeTlsStream stream, Request) mutable {
            self->open(std::move(stream), client, std::move(header));
        }};
    }

private:
    // On the connection's thread: the stream opens; then, on the producer's thread, the client
    // learns its session and gets what waited for it.
    void open(net::MaybeTlsStream stream, std::shared_ptr<Client> client, Message header) {
        open_dialect_stream(io_, std::move(stream), std::move(header), stopped_, spec_.queue, stats_, *connections_,
                            [self = shared_from_this(), client](std::shared_ptr<SseSession> session,
                                                                asio::any_io_executor executor) {
                                client->stream.opened(self->stopped_ ? nullptr : session, executor);
                                self->prune();
                            });
    }

    void send(std::string name, std::string_view data, PushTarget target) {
        if (stopped_) return;
        const std::string id = std::to_string(++next_id_);
        sse::OutgoingEvent event;
        if (!name.empty()) event.type = name;
        event.data = std::string(data);  // one data line per line, split at CRLF, LF or CR
        // The id leads, as in the module's frames; the encoder puts it after the event name.
        std::string wire = "id: " + id + "\n";
        sse::encode(wire, event);
        auto message = std::make_shared<const std::string>(std::move(wire));
        auto meta = std::make_shared<const EventMeta>(EventMeta{std::move(name), std::move(target)});
        count(stats_->events_published);
        prune();
        for (const auto& client : clients_)
            if (wants(*client, *meta)) client->stream.deliver(message);
        if (settings_.replay.enabled) ring_.push(id, message, ReplayRing::Clock::now(), meta);
    }

    void prune() {
        std::erase_if(clients_, [](const std::shared_ptr<Client>& client) { return !client->stream.alive(); });
    }

    asio::io_context& io_;
    ProducerContext context_;
    scenario::PushModuleSettings settings_;
    std::shared_ptr<ConnectionSet> connections_;
    ReplayRing ring_;
    asio::steady_timer hold_timer_;
    std::shared_ptr<EventFeed> feed_;
    std::vector<std::shared_ptr<Client>> clients_;  // on the producer's thread only
    std::uint64_t next_id_ = 0;
    bool stopped_ = false;
};

}  // namespace

std::shared_ptr<HttpProducer> make_wakanda_push_producer(asio::io_context& io, const scenario::ProducerSpec& spec,
                                                         const ProducerContext& context) {
    return std::make_shared<WakandaPushProducer>(io, spec, context);
}

}  // namespace evsim::producers
