// The events an SSE producer keeps so that a client reconnecting with Last-Event-ID gets what it
// missed. Bounded three ways, like the server-side push module of the reference documents
// (500 events, 2 MB, 2 hours by default): memory never grows with the stream's length.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "evsim/producers/outbound_queue.hpp"

namespace evsim::producers {

struct ReplayLimits {
    std::size_t max_events = 500;
    std::size_t max_bytes = 2'000'000;  // of encoded wire bytes
    std::chrono::milliseconds max_age = std::chrono::hours(2);
};

class ReplayRing {
public:
    using Clock = std::chrono::steady_clock;

    explicit ReplayRing(ReplayLimits limits = {});

    // Stores an encoded event under its id (an empty id is stored but cannot be resumed from), then
    // drops the oldest entries until every limit holds again. An event larger than max_bytes on its
    // own is not stored.
    // `context` (optional) travels with the event and comes back with it in Replay::contexts: what a
    // producer needs to decide whether a reconnecting client may see it (its name, its addressees).
    void push(std::string id, Message wire, Clock::time_point now, std::shared_ptr<const void> context = nullptr);

    struct Replay {
        bool id_known = false;        // the id is still in the ring
        std::vector<Message> events;  // the events stored after it, oldest first
        std::vector<std::shared_ptr<const void>> contexts;  // each event's context, as pushed
    };
    // What a client that last saw `last_event_id` missed. Expired entries are dropped first. When
    // the id is unknown (never sent, or already dropped) `events` is empty: the caller decides
    // whether that means "send everything" or "send nothing" and can tell the client either way.
    Replay after(std::string_view last_event_id, Clock::time_point now);

    // Drops entries older than max_age.
    void expire(Clock::time_point now);

    std::size_t size() const noexcept { return entries_.size(); }
    std::size_t bytes() const noexcept { return bytes_; }

private:
    struct Entry {
        std::uint64_t sequence;
        std::string id;
        Message wire;
        Clock::time_point stored_at;
        std::shared_ptr<const void> context;
    };
    void drop_oldest();

    ReplayLimits limits_;
    std::deque<Entry> entries_;
    std::unordered_map<std::string, std::uint64_t> latest_by_id_;  // an id repeated: its latest entry
    std::uint64_t next_sequence_ = 0;
    std::size_t bytes_ = 0;
};

}  // namespace evsim::producers
