#include "evsim/producers/fetch_emitter.hpp"

#include <boost/beast/http/verb.hpp>
#include <utility>

#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/http_responses.hpp"

namespace evsim::producers {

namespace http = boost::beast::http;

namespace {
constexpr std::string_view allowed_methods = "GET, HEAD, OPTIONS";
}

FetchHandler::FetchHandler(std::optional<std::string> path, std::uint64_t seed)
    : path_(std::move(path)), values_(seed) {}

Response FetchHandler::handle(const Request& request) {
    if (!path_matches(request.target(), path_)) return make_not_found(request);
    switch (request.method()) {
        case http::verb::get:
        case http::verb::head:
            // HEAD draws a value too, so its Content-Length is what GET would send.
            return make_text_response(request, http::status::ok, std::to_string(values_.next()));
        case http::verb::options:
            return make_preflight_response(request, allowed_methods);
        default:
            return make_method_not_allowed(request, allowed_methods);
    }
}

namespace {

std::shared_ptr<const HttpSessionContext> make_context(boost::asio::io_context& io, const FetchOptions& options,
                                                       const EmitterContext& context) {
    auto handler = std::make_shared<FetchHandler>(options.path, context.seed);
    return std::make_shared<const HttpSessionContext>(HttpSessionContext{
        "fetch",
        context.http,
        [handler](const Request& request) -> HandlerResult { return handler->handle(request); },
        context.log,
        ConnectionSet::create(io),
        context.stats,
    });
}

}  // namespace

FetchEmitter::FetchEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                           const FetchOptions& options, const EmitterContext& context)
    : server_(io, endpoint, make_context(io, options, context)) {}

void FetchEmitter::start() { server_.start(); }

void FetchEmitter::stop(std::chrono::milliseconds grace) { server_.stop(grace); }

}  // namespace evsim::producers
