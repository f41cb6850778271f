// Fan-out of one stream of messages to many sessions. What a session gets on joining (the latest
// values, a replay) is the producer's business; the channel only passes on what comes after.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "evsim/core/faults.hpp"
#include "evsim/producers/outbound_queue.hpp"

namespace evsim::producers {

class Subscriber {
public:
    virtual ~Subscriber() = default;
    // Must not block: a session queues the message and writes it asynchronously.
    virtual void deliver(const Message& message) = 0;
    // A stream fault for the next message delivered (`next_message`), or for now: after what is
    // queued, or at once when nothing is. Subscribers that cannot be faulted ignore it.
    virtual void inject(std::shared_ptr<const faults::FaultSpec> /*fault*/, bool /*next_message*/) {}
};

class BroadcastChannel {
public:
    // Adds `subscriber`, held weakly: a session that ends simply disappears.
    void subscribe(const std::shared_ptr<Subscriber>& subscriber);

    // Hands the same shared bytes to every live subscriber.
    void publish(const Message& message);

    // Calls `f(subscriber)` for every live subscriber.
    template <typename F>
    void for_each(F&& f) {
        for (std::size_t i = 0; i < subscribers_.size(); ++i) {
            if (auto subscriber = subscribers_[i].lock()) f(*subscriber);
        }
    }

    // Live subscribers; forgets the ones that ended.
    std::size_t subscriber_count();

    // Forgets every subscriber.
    void clear();

private:
    void prune();

    std::vector<std::weak_ptr<Subscriber>> subscribers_;
    bool publishing_ = false;  // publish() is walking subscribers_
};

}  // namespace evsim::producers
