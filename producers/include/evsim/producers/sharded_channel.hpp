// A producer's fan-out when its connections live on several io_contexts (IoPool): one
// BroadcastChannel per context, each touched only on its own context's thread. A publish costs one
// post per context, not one per subscriber, and every subscriber's deliver() runs on its own
// thread, so sessions need no locks. Everything on the producer's own context is done inline:
// with a single context this is exactly a BroadcastChannel.
//
// Threading: call every member on the producer's (home) thread. Work for one
// context is posted to it in call order, so a subscriber's first messages always come before the
// events published after it subscribed.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "evsim/core/faults.hpp"
#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/outbound_queue.hpp"

namespace evsim::producers {

class ShardedChannel {
public:
    explicit ShardedChannel(boost::asio::any_io_executor home) : home_(std::move(home)) {}

    // Adds `subscriber`, whose deliver() must run on `where`, after handing it `first` there.
    void subscribe(std::shared_ptr<Subscriber> subscriber, const boost::asio::any_io_executor& where,
                   std::vector<Message> first);
    void publish(const Message& message);
    // Subscriber::inject on every subscriber, in order with the messages published around it.
    void inject(std::shared_ptr<const faults::FaultSpec> fault, bool next_message);
    // Forgets every subscriber.
    void clear();

    // Live subscribers (a snapshot: sessions on other contexts come and go meanwhile).
    std::size_t subscriber_count() const;

private:
    struct Shard {
        boost::asio::any_io_executor executor;
        mutable std::mutex mutex;  // held by whoever walks the channel (only subscriber_count competes)
        mutable BroadcastChannel channel;  // subscriber_count() prunes it
    };

    std::shared_ptr<Shard> shard_for(const boost::asio::any_io_executor& executor);
    // Runs `f(channel)` on the shard's thread: inline at home, posted elsewhere.
    template <typename F>
    void on_shard(const std::shared_ptr<Shard>& shard, F&& f);

    boost::asio::any_io_executor home_;
    std::vector<std::shared_ptr<Shard>> shards_;  // one per context that has had a subscriber
};

}  // namespace evsim::producers
