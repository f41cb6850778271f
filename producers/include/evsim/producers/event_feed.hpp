// The events of one producer: a cadence decides when, payload generators decide what, and every
// event gets the next sequence number and its send time. The feed hands each event to its sink
// (the producer, which encodes it once per wire format) and knows nothing about connections.
//
// Timing: emissions are scheduled at absolute deadlines (the sum of the cadence's gaps from the
// start), so a rate never drifts with timer latency. When the io_context falls behind, the missed
// emissions are made up at once, for at most max_catch_up_time per wake-up (then other handlers
// run, and the timer fires again at once); after a stall longer than max_lag the schedule restarts
// from now instead of bursting (a suspended laptop, a debugger).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/core/cadence.hpp"
#include "evsim/core/measurement.hpp"
#include "evsim/core/payload.hpp"

namespace evsim::producers {

// One event as the feed made it; the views are valid only during the sink call.
struct FeedEvent {
    measurement::Stamp stamp;  // seq from 1, per feed; sent_us when the event was made
    std::string_view type;     // the event name; empty when the producer lists none
    std::string_view data;     // the payload, without measurement metadata
    measurement::DataForm form = measurement::DataForm::text;  // how an envelope must carry `data`
};

using FeedSink = std::function<void(const FeedEvent& event)>;

struct FeedOptions {
    // Each emission makes one event per name, each from its own generator (seeded per name, so
    // adding a name does not change the others' values). Empty: one unnamed event per emission.
    std::vector<std::string> events;
    cadence::CadenceSpec cadence = cadence::FixedInterval{};
    payload::GeneratorSpec payload = payload::RandomInt{};
    std::uint64_t seed = 0;
    // One emission at start(), before the cadence's first gap: clients that connect at once (and
    // the file a FILE producer writes) have a value right away, as the samples do.
    bool emit_on_start = true;
    // The clock of sent_us and of the generators' timestamps; empty: system_clock.
    payload::Clock clock;
};

class EventFeed : public std::enable_shared_from_this<EventFeed> {
public:
    static constexpr std::chrono::milliseconds max_catch_up_time{5};
    static constexpr std::chrono::seconds max_lag{1};

    // Checks the cadence and payload (throws payload::SpecError / cadence::SpecError).
    static std::shared_ptr<EventFeed> create(boost::asio::io_context& io, FeedOptions options, FeedSink sink);

    // The start emission (if any, synchronously: a sink that throws makes start() throw), then the
    // cadence. Idempotent.
    void start();
    // No emission after this, even one whose timer already fired. Drops the sink.
    void stop();

    // One emission now, outside the cadence: an event per name with generated data.
    void emit();
    // An event with the given name and data (control API publish), stamped like the others.
    void publish(std::string_view type, std::string_view data,
                 measurement::DataForm form = measurement::DataForm::text);

    std::uint64_t events_made() const noexcept { return next_seq_ - 1; }

private:
    struct PrivateTag {};

public:
    EventFeed(PrivateTag, boost::asio::io_context& io, FeedOptions options, FeedSink sink);

private:
    struct Source {
        std::string name;
        std::unique_ptr<payload::Generator> generator;
        measurement::DataForm form;
    };
    void arm();
    void on_timer();
    void deliver(std::string_view type, std::string_view data, measurement::DataForm form);
    std::int64_t now_us() const;

    boost::asio::steady_timer timer_;
    std::unique_ptr<cadence::Cadence> cadence_;
    std::vector<Source> sources_;
    FeedSink sink_;
    payload::Clock clock_;
    std::string buffer_;  // reused for every generated payload
    std::chrono::steady_clock::time_point next_;
    std::uint64_t next_seq_ = 1;
    bool emit_on_start_;
    bool started_ = false;
    bool stopped_ = false;
};

}  // namespace evsim::producers
