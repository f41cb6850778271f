// The control API's request handling, apart from its server: what each route answers, as JSON.
// Kept separate so the routes read as a table and the server part stays plumbing.
#pragma once

#include <chrono>

#include "evsim/producers/http_types.hpp"
#include "evsim/producers/producer_set.hpp"

namespace evsim::producers {

// Answers one control request about `set` (called on the io_context thread). `started` is when the
// API came up, for /health's uptime_s.
Response handle_control_request(ProducerSet& set, std::chrono::steady_clock::time_point started,
                                 const Request& request);

}  // namespace evsim::producers
