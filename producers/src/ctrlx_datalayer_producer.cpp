// The industrial controller's data layer (reference document 003) as its clients use it:
//   POST   /identity-manager/api/v2/auth/token           {"name","password"} -> 201 {"access_token","token_type"}
//   DELETE /identity-manager/api/v2/auth/token           closes the token's session -> 204
//   GET    /identity-manager/api/v2/auth/token/validity  {"valid": true|false}
//   POST   /automation/api/v2/events                     creates subscription properties.id -> 201
//   GET    /automation/api/v2/events/ID                  its event stream
//   DELETE /automation/api/v2/events/ID                  deletes it (its streams end) -> 204
//   GET    /automation/api/v2/events?nodes=a,b&publishIntervalMs=N   a stream with its own subscription
//   GET    /automation/api/v2/nodes/ADDRESS              one node's value {"type","value"}
// Every call but the token request needs `Authorization: Bearer TOKEN` (401 otherwise); refusals carry
// a problem body (application/problem+json). A stream sends `event: update` for each subscribed
// node whose value changed since its last publish (all of them at first), `event: keepalive` when a
// keep-alive interval passed without an update, and `event: error` for each node that does not
// exist (at first, then every error interval). A subscription without a listener for the inactive
// timeout is deleted; its stream URL then answers 404. Node values change at the producer's cadence,
// each from its own generator, or when the control API publishes to the node's address.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "datalayer_request.hpp"
#include "datalayer_tokens.hpp"
#include "datalayer_values.hpp"
#include "evsim/core/cadence.hpp"
#include "evsim/core/payload.hpp"
#include "evsim/core/percent_encoding.hpp"
#include "evsim/core/sse_encoder.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/cors.hpp"
#include "evsim/producers/dialect_producers.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/sse_session.hpp"
#include "dialect_stream.hpp"
#include "opening_stream.hpp"

namespace evsim::producers {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using SystemClock = std::chrono::system_clock;

constexpr std::string_view kTokenPath = "/identity-manager/api/v2/auth/token";
constexpr std::string_view kValidityPath = "/identity-manager/api/v2/auth/token/validity";
constexpr std::string_view kEventsPath = "/automation/api/v2/events";
constexpr std::string_view kNodesPrefix = "/automation/api/v2/nodes/";
constexpr std::size_t kMaxSessions = 10000;  // live tokens; the device refuses logins beyond its limit

// Nodes served when the scenario lists none: a PLC program's counters and a system metric, the
// addresses the controller's own examples use.
std::vector<scenario::DatalayerNode> example_nodes() {
    using scenario::DatalayerType;
    return {
        {"plc/app/Application/sym/PLC_PRG/counter", DatalayerType::int64, payload::Counter{0, 1}},
        {"plc/app/Application/sym/PLC_PRG/counterReverse", DatalayerType::int64, payload::Counter{1000000, -1}},
        {"plc/app/Application/sym/PLC_PRG/temperature", DatalayerType::float64,
         payload::RandomWalk{21.5, 0.25, 15, 30, 2}},
        {"framework/metrics/system/cpu-utilisation-percent", DatalayerType::float64,
         payload::RandomWalk{12, 2, 0, 100, 1}},
        {"plc/app/Application/sym/PLC_PRG/running", DatalayerType::bool8, payload::Constant{"1"}},
    };
}

struct NodeState {
    scenario::DatalayerNode spec;
    std::unique_ptr<payload::Generator> generator;
    std::string value;           // JSON
    std::uint64_t version = 0;   // bumped by every change
    std::int64_t timestamp = 0;  // FILETIME of the last change
};

struct Subscription;

// One listener of a subscription: its stream and what it has been sent.
struct Stream {
    Stream(asio::io_context& io, std::size_t max_pending, std::shared_ptr<Subscription> s)
        : subscription(std::move(s)), out(max_pending), publish(io), keepalive(io), errors(io) {}
    std::shared_ptr<Subscription> subscription;
    OpeningStream out;
    std::vector<std::uint64_t> sent;  // per subscribed node: the version last sent
    std::uint64_t next_id = 0;
    bool quiet = true;  // nothing sent since the last keep-alive check
    asio::steady_timer publish, keepalive, errors;
    void cancel() {
        publish.cancel();
        keepalive.cancel();
        errors.cancel();
    }
};

struct Subscription {
    Subscription(asio::io_context& io, SubscriptionRequest r) : request(std::move(r)), inactive(io) {}
    SubscriptionRequest request;
    std::vector<std::optional<std::size_t>> nodes;  // per requested address: the node, if it exists
    // Held weakly: a stream lives in its timers' handlers (and, while it opens, in the handler that
    // opens it), so nothing here keeps an ended one alive.
    std::vector<std::weak_ptr<Stream>> streams;
    asio::steady_timer inactive;  // runs while nobody listens
    bool deleted = false;
};

class CtrlxDatalayerProducer final : public HttpProducer,
                                     public std::enable_shared_from_this<CtrlxDatalayerProducer> {
public:
    CtrlxDatalayerProducer(asio::io_context& io, const scenario::ProducerSpec& spec, const ProducerContext& context)
        : HttpProducer(spec, context.stats),
          io_(io),
          context_(context),
          settings_(spec_.datalayer),
          tokens_(settings_.users, settings_.token_lifetime, kMaxSessions),
          connections_(ConnectionSet::create(io)),
          change_timer_(io),
          cadence_(cadence::make_cadence(spec_.cadence, context.seed)) {
        auto specs = settings_.nodes.empty() ? example_nodes() : settings_.nodes;
        for (auto& node : specs) {
            NodeState state;
            state.generator =
                payload::make_generator(node.payload, payload::field_seed(context.seed, node.address), context.clock);
            state.spec = std::move(node);
            index_.emplace(state.spec.address, nodes_.size());
            nodes_.push_back(std::move(state));
        }
    }

    void start() override {
        if (started_ || stopped_) return;
        started_ = true;
        change_all();  // every node has a value before the first client asks
        arm_change();
    }

    void stop(std::chrono::milliseconds grace) override {
        if (stopped_) return;
        stopped_ = true;
        change_timer_.cancel();
        for (auto& [id, subscription] : subscriptions_) {
            subscription->inactive.cancel();
            for (auto& weak : subscription->streams)
                if (auto stream = weak.lock()) stream->cancel();
        }
        subscriptions_.clear();
        connections_->close_all(grace);
    }

    // The control API's publish: `type` names a node, `data` becomes its value now.
    void publish(std::string_view type, std::string_view data, measurement::DataForm) override {
        const auto it = index_.find(type);
        if (it == index_.end())
            throw std::invalid_argument("ctrlx-datalayer: 'event' must name a node address; '" + std::string(type) +
                                        "' is not one of this producer's nodes");
        auto& node = nodes_[it->second];
        auto value = datalayer_value_json(node.spec.type, data);
        if (!value)
            throw std::invalid_argument("ctrlx-datalayer: node '" + node.spec.address + "' is " +
                                        std::string(scenario::to_string(node.spec.type)) + ": 'data' must be a number");
        set_value(node, std::move(*value), SystemClock::now());
    }

    void inject_fault(std::shared_ptr<const faults::FaultSpec>) override {
        throw std::invalid_argument("ctrlx-datalayer producers take no faults");
    }

    std::size_t clients() const override { return connections_->size(); }

    HandlerResult handle(const Request& request) override {
        auto result = route(request);
        const auto* response = std::get_if<Response>(&result);
        count(response && response->result_int() >= 400 ? stats_->requests_rejected : stats_->requests_served);
        return result;
    }

private:
    HandlerResult route(const Request& request) {
        const std::string_view path = target_path(request.target());
        if (request.method() == http::verb::options)
            return make_cors_preflight(spec_.cors, request, "GET, POST, DELETE, OPTIONS");
        if (path == kTokenPath) return token_route(request, path);
        if (path == kValidityPath) {
            if (request.method() != http::verb::get) return not_allowed(request, path, "GET");
            const bool valid = tokens_.user_of(request[http::field::authorization], SystemClock::now()).has_value();
            return json_response(request, http::status::ok, json::serialize(json::object{{"valid", valid}}));
        }
        const bool events = path == kEventsPath || path.starts_with(std::string(kEventsPath) + "/");
        const bool node_read = path.starts_with(kNodesPrefix);
        if (!events && !node_read) return problem(request, {404, "Not Found", "no such route"}, path);
        // Everything of the data layer needs a valid bearer token.
        if (!tokens_.user_of(request[http::field::authorization], SystemClock::now()))
            return problem(request, {401, "Unauthorized", "a valid 'Authorization: Bearer TOKEN' is required"}, path);
        if (node_read) return node_route(request, path);
        if (path == kEventsPath) {
            if (request.method() == http::verb::post) return create_subscription(request, path);
            if (request.method() == http::verb::get) return open_direct(request, path);
            return not_allowed(request, path, "GET, POST");
        }
        const auto id = percent::decode(path.substr(kEventsPath.size() + 1));
        const auto it = id ? subscriptions_.find(*id) : subscriptions_.end();
        if (it == subscriptions_.end())
            return problem(request, {404, "Not Found", "no subscription '" + id.value_or("") + "'"}, path);
        if (request.method() == http::verb::get) return listen(request, it->second);
        if (request.method() == http::verb::delete_) {
            remove(it->second);
            return empty_response(request, http::status::no_content);
        }
        return not_allowed(request, path, "GET, DELETE");
    }

    // ---- answers -------------------------------------------------------------------------------

    Response json_response(const Request& request, http::status status, std::string body,
                           std::string_view type = "application/json") const {
        auto response = make_text_response(request, status, std::move(body));
        response.set(http::field::content_type, type);
        apply_cors(spec_.cors, request, response.base());
        response.prepare_payload();
        strip_body_for_head(request, response);
        return response;
    }

    Response empty_response(const Request& request, http::status status) const {
        auto response = make_text_response(request, status, "");
        response.erase(http::field::content_type);
        apply_cors(spec_.cors, request, response.base());
        return response;
    }

    Response problem(const Request& request, const DatalayerProblem& p, std::string_view instance) {
        auto response = json_response(request, static_cast<http::status>(p.status), problem_json(p, instance),
                                      "application/problem+json");
        if (p.status == 401) response.set(http::field::www_authenticate, "Bearer");
        return response;
    }

    Response not_allowed(const Request& request, std::string_view path, std::string_view methods) {
        auto response = problem(request, {405, "Method Not Allowed", "this route answers " + std::string(methods)}, path);
        response.set(http::field::allow, methods);
        return response;
    }

    // ---- identity manager ----------------------------------------------------------------------

    Response token_route(const Request& request, std::string_view path) {
        const auto now = SystemClock::now();
        if (request.method() == http::verb::delete_) {
            if (!tokens_.close(request[http::field::authorization], now))
                return problem(request, {401, "Unauthorized", "no open session for this token"}, path);
            return empty_response(request, http::status::no_content);
        }
        if (request.method() != http::verb::post) return not_allowed(request, path, "POST, DELETE");
        boost::system::error_code error;
        const auto body = json::parse(request.body(), error);
        const json::object* fields = !error ? body.if_object() : nullptr;
        const auto text_field = [fields](std::string_view key) -> const json::string* {
            const json::value* value = fields ? fields->if_contains(key) : nullptr;
            return value ? value->if_string() : nullptr;
        };
        const json::string* name = text_field("name");
        const json::string* password = text_field("password");
        if (!name || !password)
            return problem(request, {400, "Bad Request", "expected a JSON body {\"name\": ..., \"password\": ...}"}, path);
        auto issued = tokens_.issue(*name, *password, now);
        if (const auto* refusal = std::get_if<DatalayerTokens::Refusal>(&issued)) {
            if (*refusal == DatalayerTokens::Refusal::bad_credentials)
                return problem(request, {401, "Unauthorized", "wrong user name or password"}, path);
            return problem(request, {400, "Too many sessions", "close a session (DELETE " + std::string(kTokenPath) + ") first"},
                           path);
        }
        const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(tokens_.lifetime()).count();
        return json_response(request, http::status::created,
                             json::serialize(json::object{{"access_token", std::get<std::string>(issued)},
                                                          {"token_type", "Bearer"},
                                                          {"expires_in", lifetime}}));
    }

    // ---- nodes -----------------------------------------------------------------------------------

    Response node_route(const Request& request, std::string_view path) {
        if (request.method() != http::verb::get) return not_allowed(request, path, "GET");
        const auto address = percent::decode(path.substr(kNodesPrefix.size()));
        const auto it = address ? index_.find(*address) : index_.end();
        if (it == index_.end())
            return problem(request, {404, "Not Found", "node '" + address.value_or("") + "' does not exist"}, path);
        const auto& node = nodes_[it->second];
        return json_response(request, http::status::ok,
                             "{\"type\":\"" + std::string(scenario::to_string(node.spec.type)) +
                                 "\",\"value\":" + node.value + "}");
    }

    void arm_change() {
        change_timer_.expires_after(cadence_->next_gap());
        change_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
            auto self = weak.lock();
            if (error || !self || self->stopped_) return;
            self->change_all();
            self->arm_change();
        });
    }

    void change_all() {
        const auto now = SystemClock::now();
        std::string raw;
        for (auto& node : nodes_) {
            raw.clear();
            node.generator->next(raw);
            // The scenario loader checked that numeric nodes have numeric generators.
            if (auto value = datalayer_value_json(node.spec.type, raw)) set_value(node, std::move(*value), now);
        }
    }

    static void set_value(NodeState& node, std::string value, SystemClock::time_point now) {
        node.value = std::move(value);
        node.timestamp = filetime(now);
        ++node.version;
    }

    // ---- subscriptions -------------------------------------------------------------------------

    Response create_subscription(const Request& request, std::string_view path) {
        auto parsed = parse_subscription_body(request.body());
        if (auto* p = std::get_if<DatalayerProblem>(&parsed)) return problem(request, *p, path);
        auto& r = std::get<SubscriptionRequest>(parsed);
        if (subscriptions_.contains(r.id))
            return problem(request, {409, "Conflict", "subscription '" + r.id + "' exists already"}, path);
        if (subscriptions_.size() >= settings_.max_subscriptions)
            return problem(request,
                           {503, "Too many subscriptions",
                            "at most " + std::to_string(settings_.max_subscriptions) + " subscriptions at a time"},
                           path);
        auto subscription = make_subscription(std::move(r));
        subscriptions_.emplace(subscription->request.id, subscription);
        arm_inactive(subscription);  // nobody listens yet
        auto response = json_response(request, http::status::created, describe(*subscription));
        response.set(http::field::location, std::string(kEventsPath) + "/" + subscription->request.id);
        return response;
    }

    std::shared_ptr<Subscription> make_subscription(SubscriptionRequest r) {
        auto subscription = std::make_shared<Subscription>(io_, std::move(r));
        for (const auto& address : subscription->request.nodes) {
            const auto it = index_.find(address);
            subscription->nodes.push_back(it == index_.end() ? std::nullopt : std::optional<std::size_t>(it->second));
        }
        return subscription;
    }

    static std::string describe(const Subscription& subscription) {
        const auto& r = subscription.request;
        json::array nodes;
        for (const auto& node : r.nodes) nodes.emplace_back(node);
        return json::serialize(json::object{{"properties",
                                             json::object{{"id", r.id},
                                                          {"publishInterval", r.publish_interval.count()},
                                                          {"keepaliveInterval", r.keepalive_interval.count()},
                                                          {"errorInterval", r.error_interval.count()}}},
                                            {"nodes", std::move(nodes)}});
    }

    // GET /automation/api/v2/events?nodes=...: a subscription that lives as long as its stream.
    HandlerResult open_direct(const Request& request, std::string_view path) {
        auto parsed = parse_subscription_query(request.target());
        if (auto* p = std::get_if<DatalayerProblem>(&parsed)) return problem(request, *p, path);
        return listen(request, make_subscription(std::move(std::get<SubscriptionRequest>(parsed))));
    }

    void arm_inactive(const std::shared_ptr<Subscription>& subscription) {
        subscription->inactive.expires_after(settings_.inactive_timeout);
        subscription->inactive.async_wait(
            [weak = weak_from_this(), subscription](const boost::system::error_code& error) {
                auto self = weak.lock();
                if (error || !self || self->stopped_ || !subscription->streams.empty()) return;
                self->context_.log(self->spec_.name + ": subscription '" + subscription->request.id +
                                   "' deleted: no listener for " +
                                   std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                      self->settings_.inactive_timeout)
                                                      .count()) +
                                   " ms");
                self->remove(subscription);
            });
    }

    void remove(const std::shared_ptr<Subscription>& subscription) {
        subscription->deleted = true;
        subscription->inactive.cancel();
        for (auto& weak : subscription->streams) {
            if (auto stream = weak.lock()) {
                stream->cancel();
                stream->out.finish();
            }
        }
        subscription->streams.clear();
        if (!subscription->request.id.empty()) subscriptions_.erase(subscription->request.id);
    }

    // ---- streams -------------------------------------------------------------------------------

    HandlerResult listen(const Request& request, const std::shared_ptr<Subscription>& subscription) {
        auto stream = std::make_shared<Stream>(io_, spec_.queue.max_messages, subscription);
        stream->sent.assign(subscription->nodes.size(), 0);
        subscription->streams.push_back(stream);
        subscription->inactive.cancel();
        auto head = dialect_stream_head(&spec_.cors, request);
        return TakeOver{[self = shared_from_this(), stream, head](net::MaybeTlsStream connection, Request) {
            open_dialect_stream(self->io_, std::move(connection), head, self->stopped_, self->spec_.queue, self->stats_,
                                *self->connections_,
                                [self, stream](std::shared_ptr<SseSession> session, asio::any_io_executor executor) {
                                    self->opened(stream, std::move(session), std::move(executor));
                                });
        }};
    }

    // On the producer's thread, once the stream opened: the first updates and errors, then timers.
    void opened(const std::shared_ptr<Stream>& stream, std::shared_ptr<SseSession> session,
                asio::any_io_executor executor) {
        const bool live = !stopped_ && !stream->subscription->deleted;
        stream->out.opened(live ? session : nullptr, executor);
        if (!live) {
            if (session) asio::post(executor, [session] { session->finish(); });
            return;
        }
        const auto& request = stream->subscription->request;
        send_updates(*stream);
        send_errors(*stream);
        arm(stream, stream->publish, request.publish_interval, &CtrlxDatalayerProducer::send_updates);
        arm(stream, stream->keepalive, request.keepalive_interval, &CtrlxDatalayerProducer::send_keepalive);
        if (has_unknown_nodes(*stream->subscription))
            arm(stream, stream->errors, request.error_interval, &CtrlxDatalayerProducer::send_errors);
    }

    using StreamAction = void (CtrlxDatalayerProducer::*)(Stream&);

    void arm(const std::shared_ptr<Stream>& stream, asio::steady_timer& timer, std::chrono::milliseconds every,
             StreamAction action) {
        timer.expires_after(every);
        timer.async_wait([weak = weak_from_this(), stream, &timer, every, action](const boost::system::error_code& error) {
            auto self = weak.lock();
            if (error || !self || !self->alive(stream)) return;
            (self.get()->*action)(*stream);
            self->arm(stream, timer, every, action);
        });
    }

    // Whether the stream still runs; one that ended leaves its subscription, which starts its
    // inactivity countdown when nobody else listens.
    bool alive(const std::shared_ptr<Stream>& stream) {
        auto& subscription = stream->subscription;
        if (!stopped_ && !subscription->deleted && stream->out.alive()) return true;
        stream->cancel();
        std::erase_if(subscription->streams, [&](const std::weak_ptr<Stream>& weak) {
            const auto other = weak.lock();
            return !other || other == stream;
        });
        if (subscription->streams.empty() && !subscription->deleted && !stopped_) {
            if (subscription->request.id.empty()) subscription->deleted = true;  // a GET-opened one ends with its stream
            else arm_inactive(subscription);
        }
        return false;
    }

    static bool has_unknown_nodes(const Subscription& subscription) {
        return std::any_of(subscription.nodes.begin(), subscription.nodes.end(),
                           [](const auto& node) { return !node.has_value(); });
    }

    void send_updates(Stream& stream) {
        std::string frames;
        const auto& subscription = *stream.subscription;
        for (std::size_t i = 0; i < subscription.nodes.size(); ++i) {
            if (!subscription.nodes[i]) continue;
            const auto& node = nodes_[*subscription.nodes[i]];
            if (node.version == stream.sent[i]) continue;  // unchanged since the last publish (or no value yet)
            stream.sent[i] = node.version;
            append_event(stream, frames, "update",
                         "{\"node\":" + json::serialize(json::string(node.spec.address)) +
                             ",\"timestamp\":" + std::to_string(node.timestamp) + ",\"type\":\"" +
                             std::string(scenario::to_string(node.spec.type)) + "\",\"value\":" + node.value + "}");
        }
        deliver(stream, std::move(frames));
    }

    void send_keepalive(Stream& stream) {
        if (stream.quiet) {
            std::string frame;
            append_event(stream, frame, "keepalive",
                         "{\"timestamp\":" + std::to_string(filetime(SystemClock::now())) + "}");
            deliver(stream, std::move(frame));
        }
        stream.quiet = true;
    }

    void send_errors(Stream& stream) {
        std::string frames;
        const auto& subscription = *stream.subscription;
        for (std::size_t i = 0; i < subscription.nodes.size(); ++i) {
            if (subscription.nodes[i]) continue;
            const auto& address = subscription.request.nodes[i];
            append_event(stream, frames, "error",
                         problem_json({404, "Not Found", "node '" + address + "' does not exist"}, address));
        }
        deliver(stream, std::move(frames));
    }

    static void append_event(Stream& stream, std::string& out, std::string_view type, std::string data) {
        sse::OutgoingEvent event;
        event.type = std::string(type);
        event.id = std::to_string(++stream.next_id);
        event.data = std::move(data);
        sse::encode(out, event, sse::Framing::lf);
    }

    void deliver(Stream& stream, std::string frames) {
        if (frames.empty()) return;
        count(stats_->events_published);
        stream.quiet = false;
        stream.out.deliver(std::make_shared<const std::string>(std::move(frames)));
    }

    asio::io_context& io_;
    ProducerContext context_;
    scenario::DatalayerSettings settings_;
    DatalayerTokens tokens_;
    std::shared_ptr<ConnectionSet> connections_;
    asio::steady_timer change_timer_;
    std::unique_ptr<cadence::Cadence> cadence_;
    std::vector<NodeState> nodes_;
    std::map<std::string, std::size_t, std::less<>> index_;  // address -> nodes_
    std::map<std::string, std::shared_ptr<Subscription>, std::less<>> subscriptions_;  // by id
    bool started_ = false;
    bool stopped_ = false;
};

}  // namespace

std::shared_ptr<HttpProducer> make_ctrlx_datalayer_producer(asio::io_context& io, const scenario::ProducerSpec& spec,
                                                            const ProducerContext& context) {
    return std::make_shared<CtrlxDatalayerProducer>(io, spec, context);
}

}  // namespace evsim::producers
