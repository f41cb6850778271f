#include "evsim/producers/sse_emitter.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <utility>

#include "evsim/core/sse_encoder.hpp"
#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/sse_session.hpp"
#include "evsim/producers/value_source.hpp"

namespace evsim::producers {

namespace http = boost::beast::http;

namespace {
constexpr std::string_view allowed_methods = "GET, HEAD, OPTIONS";
}

struct SseEmitter::State : PushProtocol, std::enable_shared_from_this<SseEmitter::State> {
    State(const SseOptions& options, const EmitterContext& context, std::shared_ptr<ConnectionSet> set)
        : PushProtocol(std::move(set)),
          path(options.path),
          event(options.event),
          queue_capacity(options.queue_capacity),
          header(std::make_shared<const std::string>(sse_response_header())),
          values(context.seed),
          stats(context.stats) {}

    // One value and one encoding per tick, shared by every client.
    void tick() override {
        sse::OutgoingEvent event_to_send;
        event_to_send.type = event;
        event_to_send.data = std::to_string(values.next());
        channel.publish(std::make_shared<const std::string>(sse::encode(event_to_send)));
    }

    HandlerResult handle(const Request& request) override {
        if (!path_matches(request.target(), path)) return make_not_found(request);
        switch (request.method()) {
            case http::verb::get:
                return TakeOver{[self = shared_from_this()](boost::beast::tcp_stream stream, Request) { self->open(std::move(stream)); }};
            case http::verb::head: {
                // The stream's headers without the stream. No length, so the session closes after it.
                Response response{http::status::ok, request.version()};
                response.set(http::field::content_type, "text/event-stream");
                response.set(http::field::access_control_allow_origin, "*");
                response.set(http::field::cache_control, "no-cache");
                return response;
            }
            case http::verb::options:
                return make_preflight_response(request, allowed_methods);
            default:
                return make_method_not_allowed(request, allowed_methods);
        }
    }

    void open(boost::beast::tcp_stream stream) {
        auto socket = stream.release_socket();
        if (stopped) return;  // the socket closes as it goes out of scope
        auto session = std::make_shared<SseSession>(std::move(socket), header, queue_capacity, stats);
        session->start(*connections);
        channel.subscribe(session);  // delivers the current value: the first event goes out at once
    }

    std::optional<std::string> path;
    std::string event;
    std::size_t queue_capacity;
    Message header;  // identical for every client: built once
    ValueSource values;
    std::shared_ptr<EmitterStats> stats;
};

SseEmitter::SseEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                       const SseOptions& options, const EmitterContext& context)
    : push_(io, endpoint, "sse", std::make_shared<State>(options, context, ConnectionSet::create(io)), context) {}

}  // namespace evsim::producers
