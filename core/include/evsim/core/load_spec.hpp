// The `load:` section of a scenario: who connects (groups of virtual users and the sources each one
// opens), when (stages: ramps, holds, open-model arrivals) and what counts as a pass (thresholds).
// `evsim load` and `evsim run` play it (loadgen/); docs/load.md describes the YAML form.
//
// Plain structs with the defaults a scenario gets when it leaves a key out, like the rest of the
// scenario model. Metric names in thresholds are checked by the load generator, which owns them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "evsim/core/threshold.hpp"

namespace evsim::scenario {

enum class ProducerType;  // scenario.hpp

// Limits the loader enforces: beyond these a load section is a mistake, and a schedule must fit in
// memory (every VU session is planned up front).
inline constexpr std::size_t max_vus_per_stage = 1'000'000;
inline constexpr std::size_t max_planned_sessions = 2'000'000;

// How a WebSocket source reconnects after its connection ends or fails to open (browsers have no
// policy of their own: this is what a dashboard's code does): wait `delay`, multiplied by `backoff`
// after every failed attempt up to `max_delay`; give up after `max_attempts` failures in a row.
struct WsReconnect {
    bool enabled = true;
    std::chrono::microseconds delay = std::chrono::seconds(1);
    std::chrono::microseconds max_delay = std::chrono::seconds(30);
    double backoff = 2.0;
    std::optional<std::uint32_t> max_attempts;  // absent: never give up
};

// One source a virtual user opens.
struct LoadSource {
    std::string producer;  // a producer of this scenario, by name; or else
    std::string url;       // http(s):// for sse or fetch, ws(s):// for ws, a path or file:// for file
    ProducerType type{};   // from the producer, or written (`type:`), or from a ws/file URL
    // fetch and file: time between polls (a dashboard's setInterval); fetch: each request's timeout.
    std::chrono::microseconds interval = std::chrono::seconds(1);
    std::chrono::microseconds timeout = std::chrono::seconds(10);
    WsReconnect reconnect;
    std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
    bool insecure = false;  // https / wss: skip certificate verification
    int line = 0;           // where the source was written (0: not from a file)
    int column = 0;
};

struct LoadStage {
    enum class Kind {
        ramp,     // closed model: change the number of running VUs to `target`, linearly over `duration`
        hold,     // keep the running VUs for `duration`
        arrival,  // open model: `rate` new VUs per second for `duration`, each staying `stay`
    };
    Kind kind = Kind::hold;
    std::size_t target = 0;
    std::chrono::microseconds duration{0};
    double rate = 0;  // arrivals per second
    std::chrono::microseconds stay{0};
    int line = 0;
    int column = 0;
};

struct UserGroup {
    std::string name;                  // unique in the scenario
    std::vector<LoadSource> sources;   // or
    std::string dashboard;             // a config.js whose sys_eventProviders every VU opens
    // The browser's pool of six HTTP/1.1 connections per host for SSE and fetch (and 255 for
    // WebSockets); absent: on for dashboard groups, off (raw) for source lists.
    std::optional<bool> browser;
    // Open model: at most this many of the group's arrived VUs at once; an arrival beyond is dropped
    // and counted, never delayed (a delayed arrival would hide the overload).
    std::size_t max_vus = 10'000;
    std::vector<LoadStage> stages;
    int line = 0;
    int column = 0;
};

struct LoadThreshold {
    threshold::Threshold rule;
    int line = 0;
    int column = 0;
};

struct LoadSpec {
    std::vector<UserGroup> users;
    std::vector<LoadThreshold> thresholds;
    bool abort_on_breach = false;  // stop the run at the first breach seen during it
};

}  // namespace evsim::scenario
