// One subscriber connection of a fan-out run (SSE or WebSocket). The run starts them at its ramp
// rate and reads their event counters; each reports its progress to the shared Tally.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "tally.hpp"

namespace evsim::bench::fanout {

// What every connection to one URL shares, built once: the address, and the request bytes.
struct Target {
    boost::asio::ip::tcp::endpoint endpoint;
    std::string host_header;  // Host header / WebSocket handshake host
    std::string path;         // request target
    std::shared_ptr<const std::string> sse_request;  // the whole GET request, identical for every connection
};

class Subscriber {
public:
    virtual ~Subscriber() = default;
    // Connects and keeps reading until stop(); progress and failures go to the Tally.
    virtual void start() = 0;
    // Closes the socket; pending handlers end quietly without counting an error.
    virtual void stop() = 0;
    // Events received since start.
    std::uint64_t events() const noexcept { return events_; }
    // Got its 200 / completed the upgrade (and stays true after the stream ends).
    bool established() const noexcept { return established_; }

protected:
    std::uint64_t events_ = 0;
    bool established_ = false;
};

}  // namespace evsim::bench::fanout
