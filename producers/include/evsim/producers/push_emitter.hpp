// What the SSE and WebSocket emitters share: an HTTP server whose requests the protocol handles, one
// value per interval published to a broadcast channel, and a clean stop. Each protocol supplies a
// PushProtocol (how to answer a request, how to encode a tick); PushEmitter does the rest.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/emitter_context.hpp"
#include "evsim/producers/http_server.hpp"
#include "evsim/producers/periodic_timer.hpp"

namespace evsim::producers {

// A protocol's state, shared with request handlers and the timer (hence owned by shared_ptr).
class PushProtocol {
public:
    explicit PushProtocol(std::shared_ptr<ConnectionSet> set) : connections(std::move(set)) {}
    virtual ~PushProtocol() = default;

    virtual HandlerResult handle(const Request& request) = 0;
    // Publishes the next value on `channel`, encoded once for every subscriber.
    virtual void tick() = 0;

    BroadcastChannel channel;
    std::shared_ptr<ConnectionSet> connections;
    bool stopped = false;
};

class PushEmitter {
public:
    // Binds now: throws BindError. `protocol_name` labels log lines ("sse", "ws").
    PushEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, std::string protocol_name,
                std::shared_ptr<PushProtocol> protocol, const EmitterContext& context);
    ~PushEmitter();
    PushEmitter(const PushEmitter&) = delete;
    PushEmitter& operator=(const PushEmitter&) = delete;

    void start();
    void stop(std::chrono::milliseconds grace);

    boost::asio::ip::tcp::endpoint endpoint() const noexcept { return server_.endpoint(); }
    std::size_t clients() const { return protocol_->channel.subscriber_count(); }

private:
    std::shared_ptr<PushProtocol> protocol_;
    HttpServer server_;
    std::shared_ptr<PeriodicTimer> timer_;
};

}  // namespace evsim::producers
