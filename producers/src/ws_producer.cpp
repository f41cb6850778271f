#include "evsim/producers/ws_producer.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <string>
#include <utility>

#include "evsim/core/ws_handshake.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/listener.hpp"
#include "evsim/producers/push_producer.hpp"

namespace evsim::producers {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

WsSessionOptions session_options(WsSessionOptions options, const scenario::ProducerSpec& spec,
                                 const ProducerContext& /*context*/) {
    options.queue = spec.queue;
    options.binary = spec.ws.binary;
    options.subprotocol = spec.ws.subprotocol;
    options.permessage_deflate = spec.ws.permessage_deflate;
    if (spec.ws.ping) {
        // The session pings after half the idle timeout without traffic and drops the peer after all of it.
        options.idle_timeout = 2 * std::max(std::chrono::milliseconds(1),
                                            std::chrono::duration_cast<std::chrono::milliseconds>(*spec.ws.ping));
    }
    return options;
}

class WsProducer final : public PushProducer {
public:
    WsProducer(boost::asio::io_context& io, const scenario::ProducerSpec& spec, const ProducerContext& context,
               WsSessionOptions session)
        : PushProducer(io, spec, context), session_(session_options(std::move(session), spec_, context)) {}

    HandlerResult handle(const Request& request) override {
        if (beast::websocket::is_upgrade(request)) {
            if (auto fault = request_fault()) {
                count(stats_->requests_served);
                return make_fault_response(*fault, request);
            }
            if (auto problem = check_upgrade(request)) {
                count(stats_->requests_rejected);
                context_.log(spec_.name + ": WebSocket handshake refused: " + problem->detail);
                // RFC 6455 section 4.4: a wrong version gets 426 with the version this server speaks.
                auto response = make_text_response(
                    request, problem->wrong_version ? http::status::upgrade_required : http::status::bad_request,
                    problem->detail + "\n");
                if (problem->wrong_version) response.set(http::field::sec_websocket_version, ws::protocol_version);
                response.keep_alive(false);  // the client's idea of this connection is off: start afresh
                return response;
            }
            count(stats_->requests_served);
            return TakeOver{[self = self<WsProducer>()](net::MaybeTlsStream stream, Request upgrade) {
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

private:
    Message encode(const FeedEvent& event) override {
        if (!spec_.measurement_metadata) return std::make_shared<const std::string>(event.data);
        std::string out;
        measurement::append_envelope(out, event.stamp, event.data, event.form);
        return std::make_shared<const std::string>(std::move(out));
    }

    void open(net::MaybeTlsStream stream, Request upgrade) {
        if (stopped_) return;  // the stream closes as it goes out of scope
        boost::system::error_code error;
        const auto remote = stream.socket().remote_endpoint(error);
        auto session = std::make_shared<WsSession>(std::move(stream), session_, stats_, context_.log,
                                                   "ws " + (error ? std::string("unknown peer") : to_string(remote)),
                                                   faults_.plan(), next_connection_number());
        session->start(upgrade, *connections_,
                       [weak = std::weak_ptr<WsProducer>(self<WsProducer>())](const std::shared_ptr<WsSession>& opened) {
                           // The latest values go out right after the 101.
                           if (auto self = weak.lock(); self && !self->stopped_) {
                               self->join(opened, opened->get_executor());
                           }
                       });
    }

    WsSessionOptions session_;
};

}  // namespace

std::shared_ptr<HttpProducer> make_ws_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                               const ProducerContext& context, WsSessionOptions session) {
    return std::make_shared<WsProducer>(io, spec, context, std::move(session));
}

}  // namespace evsim::producers
