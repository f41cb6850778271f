#include "evsim/producers/http_server.hpp"

#include <boost/asio/dispatch.hpp>
#include <utility>

namespace evsim::producers {

HttpServer::HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                       std::shared_ptr<const HttpSessionContext> context, IoPool* pool)
    : context_(std::move(context)) {
    // The accept callback holds the shared context, never this object, so a late completion after
    // the server is gone touches nothing freed.
    listener_ = Listener::create(
        io, endpoint, context_->name,
        [context = context_](boost::asio::ip::tcp::socket socket) {
            context->stats->connections_accepted.fetch_add(1, std::memory_order_relaxed);
            auto session = std::make_shared<HttpSession>(std::move(socket), context);
            // Started on its own thread: inline when that is this one.
            boost::asio::dispatch(session->get_executor(), [session] { session->start(); });
        },
        context_->log, pool);
}

void HttpServer::start() { listener_->start(); }

void HttpServer::stop(std::chrono::milliseconds grace) {
    listener_->stop();
    context_->connections->close_all(grace);
}

}  // namespace evsim::producers
