#include "evsim/producers/sharded_channel.hpp"

#include <boost/asio/post.hpp>
#include <utility>

namespace evsim::producers {

template <typename F>
void ShardedChannel::on_shard(const std::shared_ptr<Shard>& shard, F&& f) {
    if (shard->executor == home_) {
        std::lock_guard lock(shard->mutex);
        f(shard->channel);
        return;
    }
    boost::asio::post(shard->executor, [shard, f = std::forward<F>(f)]() mutable {
        std::lock_guard lock(shard->mutex);
        f(shard->channel);
    });
}

std::shared_ptr<ShardedChannel::Shard> ShardedChannel::shard_for(const boost::asio::any_io_executor& executor) {
    for (const auto& shard : shards_) {
        if (shard->executor == executor) return shard;
    }
    auto shard = std::make_shared<Shard>();
    shard->executor = executor;
    shards_.push_back(shard);
    return shard;
}

void ShardedChannel::subscribe(std::shared_ptr<Subscriber> subscriber, const boost::asio::any_io_executor& where,
                               std::vector<Message> first) {
    on_shard(shard_for(where),
             [subscriber = std::move(subscriber), first = std::move(first)](BroadcastChannel& channel) {
                 for (const auto& message : first) subscriber->deliver(message);
                 channel.subscribe(subscriber);
             });
}

void ShardedChannel::publish(const Message& message) {
    for (const auto& shard : shards_) on_shard(shard, [message](BroadcastChannel& channel) { channel.publish(message); });
}

void ShardedChannel::inject(std::shared_ptr<const faults::FaultSpec> fault, bool next_message) {
    for (const auto& shard : shards_) {
        on_shard(shard, [fault, next_message](BroadcastChannel& channel) {
            channel.for_each([&](Subscriber& subscriber) { subscriber.inject(fault, next_message); });
        });
    }
}

void ShardedChannel::clear() {
    for (const auto& shard : shards_) on_shard(shard, [](BroadcastChannel& channel) { channel.clear(); });
}

std::size_t ShardedChannel::subscriber_count() const {
    std::size_t count = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        count += shard->channel.subscriber_count();
    }
    return count;
}

}  // namespace evsim::producers
