#include "evsim/producers/ws_emitter.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <utility>

#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/listener.hpp"
#include "evsim/producers/value_source.hpp"

namespace evsim::producers {

namespace beast = boost::beast;
namespace http = beast::http;

struct WsEmitter::State : std::enable_shared_from_this<WsEmitter::State> {
    State(const WsOptions& options, const EmitterContext& context, std::shared_ptr<ConnectionSet> set)
        : path(options.path),
          session_options(options.session),
          values(context.seed),
          connections(std::move(set)),
          stats(context.stats),
          log(context.log) {}

    // The message is the bare number, shared by every client.
    void tick() { channel.publish(std::make_shared<const std::string>(std::to_string(values.next()))); }

    HandlerResult handle(const Request& request) {
        if (!path_matches(request.target(), path)) return make_not_found(request);
        if (beast::websocket::is_upgrade(request)) {
            return TakeOver{[self = shared_from_this()](beast::tcp_stream stream, Request upgrade) {
                self->open(std::move(stream), std::move(upgrade));
            }};
        }
        if (request.method() == http::verb::get || request.method() == http::verb::head) {
            auto response = make_text_response(request, http::status::upgrade_required,
                                               "this is a WebSocket endpoint: connect with ws://\n");
            response.set(http::field::upgrade, "websocket");
            return response;
        }
        return make_method_not_allowed(request, "GET");
    }

    void open(beast::tcp_stream stream, Request upgrade) {
        if (stopped) return;  // the stream closes as it goes out of scope
        boost::system::error_code error;
        const auto remote = stream.socket().remote_endpoint(error);
        auto session = std::make_shared<WsSession>(std::move(stream), session_options, stats, log,
                                                   "ws " + (error ? std::string("unknown peer") : to_string(remote)));
        session->start(std::move(upgrade), *connections, [weak_self = weak_from_this()](const std::shared_ptr<WsSession>& opened) {
            // Subscribing delivers the current value: the first message goes out right after the 101.
            if (auto state = weak_self.lock(); state && !state->stopped) state->channel.subscribe(opened);
        });
    }

    std::optional<std::string> path;
    WsSessionOptions session_options;
    BroadcastChannel channel;
    ValueSource values;
    std::shared_ptr<ConnectionSet> connections;
    std::shared_ptr<EmitterStats> stats;
    LogFunction log;
    bool stopped = false;
};

namespace {

std::shared_ptr<const HttpSessionContext> make_context(const std::shared_ptr<WsEmitter::State>& state,
                                                       const EmitterContext& context) {
    return std::make_shared<const HttpSessionContext>(HttpSessionContext{
        "ws",
        context.http,
        [state](const Request& request) { return state->handle(request); },
        context.log,
        state->connections,
        context.stats,
    });
}

}  // namespace

WsEmitter::WsEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                     const WsOptions& options, const EmitterContext& context)
    : state_(std::make_shared<State>(options, context, ConnectionSet::create(io))),
      server_(io, endpoint, make_context(state_, context)),
      timer_(PeriodicTimer::create(io, context.interval, [state = state_] { state->tick(); })) {}

WsEmitter::~WsEmitter() { stop(std::chrono::milliseconds(0)); }

void WsEmitter::start() {
    if (state_->stopped) return;
    state_->tick();  // the value every client receives on connect until the first interval passes
    server_.start();
    timer_->start();
}

void WsEmitter::stop(std::chrono::milliseconds grace) {
    if (state_->stopped) return;
    state_->stopped = true;
    timer_->stop();
    server_.stop(grace);
    state_->channel.clear();
}

std::size_t WsEmitter::clients() const { return state_->channel.subscriber_count(); }

}  // namespace evsim::producers
