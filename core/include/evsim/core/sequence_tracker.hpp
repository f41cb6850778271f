// Loss, duplicates and reordering of one event stream, from the sequence numbers the producers
// stamp on events (measurement metadata): what the load generator counts per stream, across
// reconnects (a replay after Last-Event-ID fills the gap a reconnect left; a replay that repeats
// events shows up as duplicates).
//
// Memory is bounded: a window of the most recent `window` sequence numbers remembers which arrived.
// A number older than the window cannot be told apart as late or duplicate and is counted as
// stale; a gap that slides out of the window unfilled stays missing for good.
//
// The first number seen is where the stream starts for this client: what the producer sent before
// it subscribed is not loss.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace evsim::measurement {

class SequenceTracker {
public:
    enum class Arrival {
        first,      // the first number of the stream
        next,       // highest + 1
        ahead,      // above highest + 1: the numbers between are missing (for now)
        late,       // fills a gap: it arrived after a higher number (reordered)
        duplicate,  // already received
        stale,      // older than the window: late or duplicate, no longer known
    };

    // `window`: how many recent numbers are remembered (at least 64; rounded up to a multiple of 64).
    explicit SequenceTracker(std::size_t window = 4096);

    Arrival on_sequence(std::uint64_t seq);

    std::uint64_t received() const noexcept { return received_; }   // every arrival
    std::uint64_t unique() const noexcept { return unique_; }       // distinct numbers received
    std::uint64_t duplicates() const noexcept { return duplicates_; }
    std::uint64_t reordered() const noexcept { return reordered_; }  // late arrivals (gaps filled)
    std::uint64_t stale() const noexcept { return stale_; }
    // Numbers from the first to the highest that have not arrived (a gap filled later leaves it).
    std::uint64_t missing() const noexcept;
    bool started() const noexcept { return started_; }
    std::uint64_t first() const noexcept { return first_; }
    std::uint64_t highest() const noexcept { return highest_; }

private:
    bool seen(std::uint64_t seq) const noexcept;
    void mark(std::uint64_t seq) noexcept;
    void advance_to(std::uint64_t seq) noexcept;  // makes seq the highest, clearing what slides in

    std::vector<std::uint64_t> bits_;  // ring: bit (seq mod window) for seqs in (highest - window, highest]
    std::uint64_t window_;
    std::uint64_t first_ = 0;
    std::uint64_t highest_ = 0;
    std::uint64_t received_ = 0;
    std::uint64_t unique_ = 0;
    std::uint64_t duplicates_ = 0;
    std::uint64_t reordered_ = 0;
    std::uint64_t stale_ = 0;
    bool started_ = false;
};

}  // namespace evsim::measurement
