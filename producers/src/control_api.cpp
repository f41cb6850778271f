#include "evsim/producers/control_api.hpp"

#include <boost/beast/http/status.hpp>
#include <chrono>
#include <utility>

#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/control_routes.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/listener.hpp"

namespace evsim::producers {

struct ControlApi::State {
    ProducerSet* set;
    std::chrono::steady_clock::time_point started;
};

ControlApi::ControlApi(boost::asio::io_context& io, ProducerSet& set, ControlApiOptions options)
    : state_(std::make_shared<State>(State{&set, std::chrono::steady_clock::now()})) {
    HttpOptions http;
    http.body_limit = options.body_limit;
    http.json_errors = true;
    auto context = std::make_shared<HttpSessionContext>();
    context->name = "control";
    context->options = http;
    // Weak: a session still open after the API is gone must not reach a ProducerSet that may be too.
    context->handler = [weak = std::weak_ptr<State>(state_)](const Request& request) -> HandlerResult {
        if (auto state = weak.lock()) return handle_control_request(*state->set, state->started, request);
        return make_json_error_response(boost::beast::http::status::service_unavailable, "shutting down");
    };
    context->log = options.log ? options.log : null_log();
    context->connections = ConnectionSet::create(io);
    context->stats = std::make_shared<EmitterStats>();  // the control API's traffic is not the producers'
    const boost::asio::ip::tcp::endpoint endpoint(resolve_bind_address(options.host), options.port);
    server_.emplace(io, endpoint, std::move(context));
}

ControlApi::~ControlApi() { stop(); }

void ControlApi::start() {
    if (!stopped_) server_->start();
}

void ControlApi::stop() {
    if (stopped_) return;
    stopped_ = true;
    server_->stop(std::chrono::milliseconds(0));  // nothing streams here: no grace needed
    state_.reset();
}

std::string ControlApi::url() const { return "http://" + to_string(endpoint()); }

}  // namespace evsim::producers
