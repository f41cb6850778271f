// A listener plus the HTTP sessions it starts and the set that tracks them: the part the fetch,
// SSE and WebSocket emitters have in common.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>

#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/http_session.hpp"
#include "evsim/producers/listener.hpp"

namespace evsim::producers {

class HttpServer {
public:
    // Binds now (throws BindError). `context->connections` receives every session, including the
    // ones that take a connection over. With a pool, connections are served on its contexts in
    // turn and the handler runs on `io` (context->home).
    HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
               std::shared_ptr<const HttpSessionContext> context, IoPool* pool = nullptr);

    void start();
    // Stops accepting and closes every connection (see ConnectionSet::close_all).
    void stop(std::chrono::milliseconds grace);

    boost::asio::ip::tcp::endpoint endpoint() const noexcept { return listener_->local_endpoint(); }

private:
    std::shared_ptr<const HttpSessionContext> context_;
    std::shared_ptr<Listener> listener_;
};

}  // namespace evsim::producers
