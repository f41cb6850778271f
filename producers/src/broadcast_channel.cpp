#include "evsim/producers/broadcast_channel.hpp"

#include <algorithm>
#include <utility>

namespace evsim::producers {

void BroadcastChannel::subscribe(const std::shared_ptr<Subscriber>& subscriber) {
    // Amortised pruning: a churn of short-lived clients must not grow the list between ticks.
    // Not while publish() walks the list by index: pruning would shift the entries under it.
    if (!publishing_ && subscribers_.size() >= 64 && subscribers_.size() == subscribers_.capacity()) prune();
    subscribers_.push_back(subscriber);
}

void BroadcastChannel::publish(const Message& message) {
    // Only those subscribed before this publish get it: one subscribed during a deliver() (none
    // does today) is kept for the next one.
    const std::size_t existing = subscribers_.size();
    publishing_ = true;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < existing; ++i) {
        if (auto subscriber = subscribers_[i].lock()) {
            subscriber->deliver(message);
            if (kept != i) subscribers_[kept] = std::move(subscribers_[i]);
            ++kept;
        }
    }
    publishing_ = false;
    for (std::size_t i = existing; i < subscribers_.size(); ++i, ++kept) {
        if (kept != i) subscribers_[kept] = std::move(subscribers_[i]);
    }
    subscribers_.resize(kept);
}

std::size_t BroadcastChannel::subscriber_count() {
    prune();
    return subscribers_.size();
}

void BroadcastChannel::clear() {
    subscribers_.clear();
}

void BroadcastChannel::prune() {
    std::erase_if(subscribers_, [](const std::weak_ptr<Subscriber>& s) { return s.expired(); });
}

}  // namespace evsim::producers
