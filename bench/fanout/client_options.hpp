// The command line of evsim_fanout_client.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

namespace evsim::bench::fanout {

struct ClientOptions {
    std::string url;               // http://... (SSE) or ws://... (WebSocket)
    std::size_t connections = 1000;
    double ramp_rate = 2000;       // new connections per second
    std::size_t max_pending = 256;  // connection attempts in flight at once
    double warmup_seconds = 1;     // after the ramp, before counting
    double duration_seconds = 5;   // the measured window
    bool idle = false;             // hold the connections instead of measuring
    std::optional<double> hold_seconds;  // --idle: end after this long (default: at SIGINT/SIGTERM)
};

// A bad flag or value: the message names it; main exits 2.
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Returns nullopt after printing the help (for --help).
std::optional<ClientOptions> parse_client_options(int argc, char** argv);

}  // namespace evsim::bench::fanout
