#include "evsim/core/sequence_tracker.hpp"

#include <algorithm>

namespace evsim::measurement {

SequenceTracker::SequenceTracker(std::size_t window)
    : bits_((std::max<std::size_t>(window, 64) + 63) / 64, 0), window_(bits_.size() * 64) {}

bool SequenceTracker::seen(std::uint64_t seq) const noexcept {
    const std::uint64_t slot = seq % window_;
    return (bits_[slot / 64] >> (slot % 64)) & 1U;
}

void SequenceTracker::mark(std::uint64_t seq) noexcept {
    const std::uint64_t slot = seq % window_;
    bits_[slot / 64] |= std::uint64_t{1} << (slot % 64);
}

void SequenceTracker::advance_to(std::uint64_t seq) noexcept {
    // Slots of the numbers between the old highest and `seq` now stand for those numbers: clear
    // them (at most a whole window's worth).
    if (seq - highest_ >= window_) {
        std::fill(bits_.begin(), bits_.end(), 0);
    } else {
        for (std::uint64_t n = highest_ + 1; n <= seq; ++n) {
            const std::uint64_t slot = n % window_;
            bits_[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
        }
    }
    highest_ = seq;
}

SequenceTracker::Arrival SequenceTracker::on_sequence(std::uint64_t seq) {
    ++received_;
    if (!started_) {
        started_ = true;
        first_ = highest_ = seq;
        mark(seq);
        ++unique_;
        return Arrival::first;
    }
    if (seq > highest_) {
        const bool next = seq == highest_ + 1;
        advance_to(seq);
        mark(seq);
        ++unique_;
        return next ? Arrival::next : Arrival::ahead;
    }
    // At or below the highest: within the window it is known whether it came before.
    if (highest_ - seq >= window_ || seq < first_) {
        ++stale_;
        return Arrival::stale;
    }
    if (seen(seq)) {
        ++duplicates_;
        return Arrival::duplicate;
    }
    mark(seq);
    ++unique_;
    ++reordered_;
    return Arrival::late;
}

std::uint64_t SequenceTracker::missing() const noexcept {
    if (!started_) return 0;
    const std::uint64_t span = highest_ - first_ + 1;
    return span > unique_ ? span - unique_ : 0;
}

}  // namespace evsim::measurement
