// What every producer is to the set that runs it: started, stopped, asked to publish an event and
// for its counters. HTTP producers (SSE, WebSocket, fetch) also answer the requests their endpoint
// routes to them; several may share one endpoint under different paths.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "evsim/core/faults.hpp"
#include "evsim/core/measurement.hpp"
#include "evsim/core/payload.hpp"
#include "evsim/core/scenario.hpp"
#include "evsim/producers/http_types.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/stats.hpp"

namespace evsim::producers {

// What a producer receives from the set that owns it, beyond its scenario entry.
struct ProducerContext {
    std::uint64_t seed = 0;  // this producer's own stream (derived from the scenario seed and its name)
    HttpOptions http;
    LogFunction log;
    payload::Clock clock;                                          // empty: system_clock
    std::shared_ptr<EmitterStats> stats = std::make_shared<EmitterStats>();  // never null
};

// Who a push is for: connections whose session, user or one of whose groups is listed (the push
// module's pushEventToSession / ToUser / ToGroup). Empty: everyone.
struct PushTarget {
    std::vector<std::string> sessions, users, groups;
    bool everyone() const noexcept { return sessions.empty() && users.empty() && groups.empty(); }
};

class Producer {
public:
    virtual ~Producer() = default;

    // Begins emitting (the first event at once). Throws what the producer cannot recover from at
    // start (a FILE producer's unwritable path: std::system_error).
    virtual void start() = 0;
    // Stops emitting and ends every connection (WebSocket clients get `grace` to answer the close).
    virtual void stop(std::chrono::milliseconds grace) = 0;

    // Sends an event now, outside the cadence, stamped like the others.
    virtual void publish(std::string_view type, std::string_view data, measurement::DataForm form) = 0;

    // Sends an event to the connections `target` names. Producers that cannot tell connections
    // apart throw std::invalid_argument.
    virtual void publish_to(std::string_view /*type*/, std::string_view /*data*/, measurement::DataForm /*form*/,
                            const PushTarget& /*target*/) {
        throw std::invalid_argument("producer '" + spec_.name + "' cannot address sessions, users or groups");
    }

    // Asks every client to reconnect `delay` from now (a retry field), closing their streams after
    // `hold` when given. Producers without it throw std::invalid_argument.
    virtual void pause(std::chrono::milliseconds /*delay*/, std::optional<std::chrono::milliseconds> /*hold*/) {
        throw std::invalid_argument("producer '" + spec_.name + "' cannot pause its clients");
    }

    // A fault now (control API): stream faults hit every connection at once, request and FILE
    // faults the next request or write. The kind must suit the producer (faults::validate).
    virtual void inject_fault(std::shared_ptr<const faults::FaultSpec> fault) = 0;

    // Connections currently streaming from this producer (SSE, WebSocket); 0 for fetch and file.
    virtual std::size_t clients() const = 0;

    const scenario::ProducerSpec& spec() const noexcept { return spec_; }
    StatsSnapshot stats() const { return snapshot(*stats_); }

protected:
    Producer(scenario::ProducerSpec spec, std::shared_ptr<EmitterStats> stats)
        : spec_(std::move(spec)), stats_(std::move(stats)) {}

    scenario::ProducerSpec spec_;
    std::shared_ptr<EmitterStats> stats_;
};

class HttpProducer : public Producer {
public:
    // Called on the io_context thread for every request whose path routes here.
    virtual HandlerResult handle(const Request& request) = 0;

protected:
    using Producer::Producer;
};

}  // namespace evsim::producers
