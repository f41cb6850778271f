#include "evsim/producers/replay_ring.hpp"

namespace evsim::producers {

ReplayRing::ReplayRing(ReplayLimits limits) : limits_(limits) {}

void ReplayRing::drop_oldest() {
    const Entry& oldest = entries_.front();
    const auto it = latest_by_id_.find(oldest.id);
    if (it != latest_by_id_.end() && it->second == oldest.sequence) latest_by_id_.erase(it);
    bytes_ -= oldest.wire->size();
    entries_.pop_front();
}

void ReplayRing::expire(Clock::time_point now) {
    while (!entries_.empty() && now - entries_.front().stored_at > limits_.max_age) drop_oldest();
}

void ReplayRing::push(std::string id, Message wire, Clock::time_point now, std::shared_ptr<const void> context) {
    if (limits_.max_events == 0 || wire->size() > limits_.max_bytes) return;
    const std::uint64_t sequence = next_sequence_++;
    if (!id.empty()) latest_by_id_[id] = sequence;
    bytes_ += wire->size();
    entries_.push_back(Entry{sequence, std::move(id), std::move(wire), now, std::move(context)});
    while (entries_.size() > limits_.max_events || bytes_ > limits_.max_bytes) drop_oldest();
    expire(now);
}

ReplayRing::Replay ReplayRing::after(std::string_view last_event_id, Clock::time_point now) {
    expire(now);
    Replay replay;
    const auto it = latest_by_id_.find(std::string(last_event_id));
    if (last_event_id.empty() || it == latest_by_id_.end()) return replay;
    replay.id_known = true;
    // Sequences are consecutive in the deque, so the entry after the id is found by arithmetic.
    const std::uint64_t first_sequence = entries_.front().sequence;
    for (std::size_t i = static_cast<std::size_t>(it->second - first_sequence) + 1; i < entries_.size(); ++i) {
        replay.events.push_back(entries_[i].wire);
        replay.contexts.push_back(entries_[i].context);
    }
    return replay;
}

}  // namespace evsim::producers
