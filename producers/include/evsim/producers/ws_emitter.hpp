// WSS (push): a text message `NN` on connect and every interval, like ws.py, without its blocking
// sleep (which stalled every other client of the sample).
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
#include "evsim/producers/ws_session.hpp"

namespace evsim::producers {

struct WsOptions {
    bool enabled = true;
    std::uint16_t port = 8082;        // 0: any free port
    std::optional<std::string> path;  // absent: every path; otherwise others get 404
    WsSessionOptions session;
};

class WsEmitter {
public:
    // Binds now: throws BindError.
    WsEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, const WsOptions& options,
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
