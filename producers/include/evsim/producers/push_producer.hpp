// What the SSE and WebSocket producers share: a feed whose events are encoded once and fanned out
// through a broadcast channel, the latest event of each name for clients that connect between
// events, the set of live connections, and a clean stop. A protocol supplies the encoding and the
// answer to requests.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/sharded_channel.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/event_feed.hpp"
#include "evsim/producers/producer.hpp"
#include "evsim/producers/producer_faults.hpp"

namespace evsim::producers {

// Feed options for a scenario entry: its events, cadence and payload, the context's seed and clock.
FeedOptions feed_options(const scenario::ProducerSpec& spec, const ProducerContext& context);

class PushProducer : public HttpProducer, public std::enable_shared_from_this<PushProducer> {
public:
    void start() override;
    void stop(std::chrono::milliseconds grace) override;
    void publish(std::string_view type, std::string_view data, measurement::DataForm form) override;
    std::size_t clients() const override;
    void inject_fault(std::shared_ptr<const faults::FaultSpec> fault) override;

protected:
    PushProducer(boost::asio::io_context& io, scenario::ProducerSpec spec, const ProducerContext& context);

    // The wire form of one event, shared by every client.
    virtual Message encode(const FeedEvent& event) = 0;
    // After the event went to every client (SSE stores it for replay here).
    virtual void after_publish(const FeedEvent& /*event*/, const Message& /*message*/) {}
    virtual void on_start() {}
    virtual void on_stop() {}

    // Subscribes an opened session whose deliver() must run on `where` (its stream's executor),
    // after handing it first_messages(last_event_id). Callable from any thread: the subscription is
    // made on the producer's thread.
    void join(std::shared_ptr<Subscriber> session, boost::asio::any_io_executor where, std::string last_event_id = {});
    // What a session gets before the next event: the latest event of each name. SSE replays what a
    // reconnecting client missed instead, when it can. Called on the producer's thread.
    virtual std::vector<Message> first_messages(std::string_view last_event_id);
    // Fans out a message that is not an event (an SSE keep-alive comment).
    void broadcast(const Message& message) { channel_.publish(message); }

    // Counts a request that opens a stream; the request fault to answer it with instead, if one fires.
    std::shared_ptr<const faults::FaultSpec> request_fault();
    // The next connection's number, for its own fault random stream. Any thread.
    std::uint64_t next_connection_number() noexcept { return ++connections_opened_; }

    template <typename Derived>
    std::shared_ptr<Derived> self() {
        return std::static_pointer_cast<Derived>(shared_from_this());
    }

    boost::asio::io_context& io_;
    ProducerContext context_;
    std::shared_ptr<ConnectionSet> connections_;
    // Read by sessions opening on other threads (IoPool); set on the producer's thread.
    std::atomic<bool> stopped_{false};
    bool idle_since_check_ = true;  // no event since the keep-alive timer last looked
    ProducerFaults faults_;

private:
    void on_event(const FeedEvent& event);
    void inject_everywhere(const std::shared_ptr<const faults::FaultSpec>& fault, bool next_message);
    void arm_fault_timer();

    std::shared_ptr<EventFeed> feed_;  // made by start()
    ShardedChannel channel_;
    std::vector<std::pair<std::string, Message>> latest_;  // by event name, in first-seen order
    std::optional<boost::asio::steady_timer> fault_timer_;  // `at` triggers, only when there are some
    std::chrono::steady_clock::time_point started_at_;
    std::atomic<std::uint64_t> connections_opened_{0};
};

}  // namespace evsim::producers
