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
#include "evsim/producers/push_emitter.hpp"
#include "evsim/producers/outbound_queue.hpp"

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

    void start() { push_.start(); }
    void stop(std::chrono::milliseconds grace) { push_.stop(grace); }

    boost::asio::ip::tcp::endpoint endpoint() const noexcept { return push_.endpoint(); }
    std::size_t clients() const { return push_.clients(); }

    struct State;  // the protocol: answers requests, encodes each tick

private:
    PushEmitter push_;
};

}  // namespace evsim::producers
