// SSE (push): `event: temperature_sse` / `data: NN` to every client, the current value on connect
// and a new one every interval, like sse.py but to thousands of clients at once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "evsim/producers/emitter_context.hpp"
#include "evsim/producers/http_server.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/periodic_timer.hpp"

namespace evsim::producers {

struct SseOptions {
    bool enabled = true;
    std::uint16_t port = 8081;                          // 0: any free port
    std::optional<std::string> path;                    // absent: every path; otherwise others get 404
    std::string event = "temperature_sse";              // the `event:` field
    std::size_t queue_capacity = OutboundQueue::default_capacity;  // per client
};

class SseEmitter {
public:
    // Binds now: throws BindError.
    SseEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, const SseOptions& options,
               const EmitterContext& context);
    ~SseEmitter();
    SseEmitter(const SseEmitter&) = delete;
    SseEmitter& operator=(const SseEmitter&) = delete;

    // Generates the first value (sent to every client on connect) and starts ticking and accepting.
    void start();
    void stop(std::chrono::milliseconds grace);

    boost::asio::ip::tcp::endpoint endpoint() const noexcept { return server_.endpoint(); }
    // Clients currently subscribed.
    std::size_t clients() const;

    struct State;  // shared with request handlers and the timer, so none of them outlives what it uses

private:
    std::shared_ptr<State> state_;
    HttpServer server_;
    std::shared_ptr<PeriodicTimer> timer_;
};

}  // namespace evsim::producers
