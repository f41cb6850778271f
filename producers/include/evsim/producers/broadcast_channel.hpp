// Fan-out of one stream of messages to many sessions. The channel remembers the latest message so a
// session that joins gets the current value at once, as the samples send a value right on connect.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "evsim/producers/outbound_queue.hpp"

namespace evsim::producers {

class Subscriber {
public:
    virtual ~Subscriber() = default;
    // Must not block: a session queues the message and writes it asynchronously.
    virtual void deliver(const Message& message) = 0;
};

class BroadcastChannel {
public:
    // Adds `subscriber` (held weakly: a session that ends simply disappears) and hands it the
    // latest message, if there is one yet.
    void subscribe(const std::shared_ptr<Subscriber>& subscriber);

    // Makes `message` the latest and hands the same shared bytes to every live subscriber.
    void publish(Message message);

    const Message& latest() const noexcept { return latest_; }

    // Live subscribers; forgets the ones that ended.
    std::size_t subscriber_count();

    // Forgets every subscriber and the latest message.
    void clear();

private:
    void prune();

    std::vector<std::weak_ptr<Subscriber>> subscribers_;
    Message latest_;
    bool publishing_ = false;  // publish() is walking subscribers_
};

}  // namespace evsim::producers
