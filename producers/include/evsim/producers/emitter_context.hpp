// Settings every emitter receives from the aggregate that owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "evsim/producers/http_types.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/stats.hpp"

namespace evsim::producers {

struct EmitterContext {
    std::chrono::milliseconds interval{3000};  // between pushed values (SSE, WebSocket, file)
    std::uint64_t seed = 0;                    // this emitter's own value stream
    HttpOptions http;
    LogFunction log;
    std::shared_ptr<EmitterStats> stats;  // never null
};

}  // namespace evsim::producers
