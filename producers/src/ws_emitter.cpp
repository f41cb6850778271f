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

struct WsEmitter::State : PushProtocol, std::enable_shared_from_this<WsEmitter::State> {
    State(const WsOptions& options, const EmitterContext& context, std::shared_ptr<ConnectionSet> set)
        : PushProtocol(std::move(set)),
          path(options.path),
          session_options(options.session),
          values(context.seed),
          stats(context.stats),
          log(context.log) {}

    // The message is the bare number, shared by every client.
    void tick() override { channel.publish(std::make_shared<const std::string>(std::to_string(values.next()))); }

    HandlerResult handle(const Request& request) override {
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
    ValueSource values;
    std::shared_ptr<EmitterStats> stats;
    LogFunction log;
};

WsEmitter::WsEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                     const WsOptions& options, const EmitterContext& context)
    : push_(io, endpoint, "ws", std::make_shared<State>(options, context, ConnectionSet::create(io)), context) {}

}  // namespace evsim::producers
