// One blocking HTTP exchange with a control API (`evsim serve --control`), bounded by a timeout so
// a server that accepts and never answers cannot hang the command.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#include "evsim/net/url.hpp"

namespace evsim::app {

struct ControlAnswer {
    unsigned status = 0;
    std::string body;
};

// The server could not be reached or did not answer in time; the message names the URL.
class ControlUnreachable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Sends `method target` (with `json_body` as application/json when not empty) to `base` and
// returns the answer, whatever its status. Throws ControlUnreachable.
ControlAnswer control_request(const net::Endpoint& base, const std::string& method, const std::string& target,
                              const std::string& json_body, std::chrono::milliseconds timeout);

}  // namespace evsim::app
