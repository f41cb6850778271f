#include "evsim/producers/broadcast_channel.hpp"

#include <algorithm>
#include <utility>

namespace evsim::producers {

void BroadcastChannel::subscribe(const std::shared_ptr<Subscriber>& subscriber) {
    // Amortised pruning: a churn of short-lived clients must not grow the list between ticks.
    if (subscribers_.size() >= 64 && subscribers_.size() == subscribers_.capacity()) prune();
    subscribers_.push_back(subscriber);
    if (latest_) subscriber->deliver(latest_);
}

void BroadcastChannel::publish(Message message) {
    latest_ = std::move(message);
    // Index-based: deliver() never subscribes, but this stays correct even if a subscriber did.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < subscribers_.size(); ++i) {
        if (auto subscriber = subscribers_[i].lock()) {
            subscriber->deliver(latest_);
            if (kept != i) subscribers_[kept] = std::move(subscribers_[i]);
            ++kept;
        }
    }
    subscribers_.resize(kept);
}

std::size_t BroadcastChannel::subscriber_count() {
    prune();
    return subscribers_.size();
}

void BroadcastChannel::clear() {
    subscribers_.clear();
    latest_.reset();
}

void BroadcastChannel::prune() {
    std::erase_if(subscribers_, [](const std::weak_ptr<Subscriber>& s) { return s.expired(); });
}

}  // namespace evsim::producers
