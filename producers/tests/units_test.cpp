// The socket-free pieces, plus one SSE session over a local connection for the bounded queue.
#include <gtest/gtest.h>

#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <set>
#include <stdexcept>

#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/interval.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/sse_session.hpp"
#include "evsim/core/payload.hpp"
#include "evsim/core/scenario.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

using namespace std::chrono_literals;

// The reference emitters' payload is the default generator: randrange(10, 99), every value of it.
TEST(ReferencePayloadTest, CoversExactlyTheSampleRange) {
    auto generator = payload::make_generator(scenario::ProducerSpec{}.payload, 1);
    std::set<std::string> seen;
    for (int i = 0; i < 20'000; ++i) {
        std::string value;
        generator->next(value);
        ASSERT_TRUE(test::is_sample_value(value)) << value;
        seen.insert(value);
    }
    EXPECT_EQ(seen.size(), 89U);  // 10..98
}

TEST(IntervalTest, ParsesSecondsMillisecondsAndPlainNumbers) {
    EXPECT_EQ(parse_interval("3s"), 3000ms);
    EXPECT_EQ(parse_interval("500ms"), 500ms);
    EXPECT_EQ(parse_interval("250"), 250ms);
    EXPECT_EQ(parse_interval("86400s"), 86'400'000ms);
    EXPECT_EQ(parse_interval("1.5s"), 1500ms);
    EXPECT_EQ(parse_interval("2m"), 120'000ms);
}

TEST(IntervalTest, RejectsEverythingElse) {
    for (const char* bad : {"", "0", "0ms", "-1", "0.5ms", "s", "ms", " 3s", "3 s", "3x", "86401s", "99999999999999"}) {
        EXPECT_THROW(parse_interval(bad), std::invalid_argument) << bad;
    }
}

TEST(OutboundQueueTest, DropsOldestWhenFull) {
    OutboundQueue queue(3);
    for (int i = 1; i <= 5; ++i) queue.push(std::make_shared<const std::string>(std::to_string(i)));
    EXPECT_EQ(queue.size(), 3U);
    EXPECT_EQ(queue.dropped(), 2U);
    std::vector<Message> taken;
    queue.take(taken, 2);
    ASSERT_EQ(taken.size(), 2U);
    EXPECT_EQ(*taken[0], "3");
    EXPECT_EQ(*taken[1], "4");
    EXPECT_EQ(*queue.pop(), "5");
    EXPECT_TRUE(queue.empty());
    EXPECT_EQ(queue.bytes(), 0U);
    EXPECT_THROW(OutboundQueue(0), std::invalid_argument);
    EXPECT_THROW(OutboundQueue(1, 0), std::invalid_argument);
}

TEST(OutboundQueueTest, ByteLimitDropsOldestButKeepsTheNewest) {
    OutboundQueue queue(100, 10);
    queue.push(std::make_shared<const std::string>("aaaa"));
    queue.push(std::make_shared<const std::string>("bbbb"));
    EXPECT_EQ(queue.bytes(), 8U);
    EXPECT_TRUE(queue.push(std::make_shared<const std::string>("cccc")));  // 12 > 10: "aaaa" goes
    EXPECT_EQ(queue.size(), 2U);
    EXPECT_EQ(queue.bytes(), 8U);
    // A single message over the limit is still delivered: dropping it would starve the client.
    queue.push(std::make_shared<const std::string>(std::string(50, 'x')));
    EXPECT_EQ(queue.size(), 1U);
    EXPECT_EQ(queue.bytes(), 50U);
    EXPECT_EQ(queue.dropped(), 3U);
    EXPECT_EQ(queue.pop()->size(), 50U);
    EXPECT_EQ(queue.bytes(), 0U);
}

struct RecordingSubscriber : Subscriber {
    void deliver(const Message& message) override { received.push_back(message); }
    std::vector<Message> received;
};

TEST(BroadcastChannelTest, LaterMessagesOnlyAndOneSharedBufferPerMessage) {
    BroadcastChannel channel;
    auto early = std::make_shared<RecordingSubscriber>();
    channel.subscribe(early);
    EXPECT_TRUE(early->received.empty());

    channel.publish(std::make_shared<const std::string>("a"));
    auto late = std::make_shared<RecordingSubscriber>();
    channel.subscribe(late);
    EXPECT_TRUE(late->received.empty());  // what came before is the producer's business

    channel.publish(std::make_shared<const std::string>("b"));
    ASSERT_EQ(early->received.size(), 2U);
    ASSERT_EQ(late->received.size(), 1U);
    EXPECT_EQ(early->received[1].get(), late->received[0].get());  // same bytes, not copies

    late.reset();
    EXPECT_EQ(channel.subscriber_count(), 1U);
    channel.publish(std::make_shared<const std::string>("c"));
    EXPECT_EQ(early->received.size(), 3U);
}

// Subscribes another subscriber from inside deliver(), the first time it is called.
struct SubscribingSubscriber : RecordingSubscriber {
    SubscribingSubscriber(BroadcastChannel& c, std::shared_ptr<Subscriber> n) : channel(c), next(std::move(n)) {}
    void deliver(const Message& message) override {
        RecordingSubscriber::deliver(message);
        if (next) channel.subscribe(std::exchange(next, nullptr));
    }
    BroadcastChannel& channel;
    std::shared_ptr<Subscriber> next;
};

TEST(BroadcastChannelTest, SubscribingDuringPublishDeliversOnceAndKeepsTheSubscriber) {
    BroadcastChannel channel;
    auto added = std::make_shared<RecordingSubscriber>();
    auto first = std::make_shared<SubscribingSubscriber>(channel, added);
    channel.subscribe(first);
    channel.publish(std::make_shared<const std::string>("a"));
    EXPECT_TRUE(added->received.empty());  // joined during "a": not handed it by the loop
    channel.publish(std::make_shared<const std::string>("b"));
    ASSERT_EQ(added->received.size(), 1U);  // and it stayed subscribed
    EXPECT_EQ(*added->received[0], "b");
    EXPECT_EQ(channel.subscriber_count(), 2U);
}

TEST(HttpResponsesTest, TargetPathAndMatching) {
    EXPECT_EQ(target_path("/a?b=1"), "/a");
    EXPECT_EQ(target_path("/a#x"), "/a");
    EXPECT_EQ(target_path("http://h:1/a/b?c"), "/a/b");
    EXPECT_EQ(target_path("http://h:1"), "/");
    EXPECT_EQ(target_path("*"), "*");
    EXPECT_TRUE(path_matches("/anything", std::nullopt));
    EXPECT_TRUE(path_matches("/events?x", std::string("/events")));
    EXPECT_FALSE(path_matches("/events/", std::string("/events")));
}

// A client that does not read: deliveries pile up behind the one write in flight, the queue keeps
// the newest `capacity` events, and the client finally receives exactly those.
TEST(SseSessionTest, LaggingClientKeepsOnlyTheNewestEvents) {
    namespace asio = boost::asio;
    using asio::ip::tcp;
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    tcp::socket client(io);
    client.connect(acceptor.local_endpoint());
    tcp::socket server = acceptor.accept();

    auto stats = std::make_shared<EmitterStats>();
    auto connections = ConnectionSet::create(io);
    auto session = std::make_shared<SseSession>(net::MaybeTlsStream(boost::beast::tcp_stream(std::move(server))), std::make_shared<const std::string>("H|"),
                                                scenario::QueueSettings{8, OutboundQueue::default_max_bytes}, stats);
    session->start(*connections);
    // The io_context has not run, so the header write is still in flight while these arrive.
    for (int i = 0; i < 100; ++i) session->deliver(std::make_shared<const std::string>(std::to_string(i) + "|"));
    EXPECT_EQ(session->queued(), 8U);
    EXPECT_EQ(session->dropped(), 92U);
    EXPECT_EQ(stats->events_dropped.load(), 92U);

    const std::string expected = "H|92|93|94|95|96|97|98|99|";
    std::string received(expected.size(), '\0');
    boost::system::error_code error;
    bool done = false;
    // run_one: the session's pending read (watching for the client to leave) keeps the context busy.
    const auto run_until_done = [&] {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!done && std::chrono::steady_clock::now() < deadline) io.run_one_until(deadline);
    };
    asio::async_read(client, asio::buffer(received), [&](const boost::system::error_code& e, std::size_t) {
        error = e;
        done = true;
    });
    run_until_done();
    ASSERT_TRUE(done);
    EXPECT_FALSE(error) << error.message();
    EXPECT_EQ(received, expected);

    // abort() ends the stream: the client sees end of file.
    session->abort();
    std::array<char, 16> more{};
    std::size_t extra = 0;
    done = false;
    client.async_read_some(asio::buffer(more), [&](const boost::system::error_code& e, std::size_t n) {
        error = e;
        extra = n;
        done = true;
    });
    run_until_done();
    ASSERT_TRUE(done);
    EXPECT_EQ(error, asio::error::eof);
    EXPECT_EQ(extra, 0U);
}

// The other slow-consumer policy: a client whose queue fills up is disconnected, not trimmed, and
// the counters say so.
TEST(SseSessionTest, DisconnectPolicyClosesAClientWhoseQueueIsFull) {
    namespace asio = boost::asio;
    using asio::ip::tcp;
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    tcp::socket client(io);
    client.connect(acceptor.local_endpoint());
    tcp::socket server = acceptor.accept();

    auto stats = std::make_shared<EmitterStats>();
    auto connections = ConnectionSet::create(io);
    scenario::QueueSettings queue{4, OutboundQueue::default_max_bytes, scenario::SlowConsumer::disconnect};
    auto session = std::make_shared<SseSession>(net::MaybeTlsStream(boost::beast::tcp_stream(std::move(server))), std::make_shared<const std::string>("H|"), queue, stats);
    session->start(*connections);
    for (int i = 0; i < 4; ++i) session->deliver(std::make_shared<const std::string>("x|"));
    EXPECT_EQ(stats->slow_consumers_disconnected.load(), 0U);  // full, but nothing dropped yet
    session->deliver(std::make_shared<const std::string>("y|"));
    EXPECT_EQ(stats->slow_consumers_disconnected.load(), 1U);
    EXPECT_EQ(session->queued(), 0U);

    // The client reads whatever made it out, then end of file (or a reset): never more events.
    std::string received;
    std::array<char, 64> buffer{};
    boost::system::error_code error;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!error && std::chrono::steady_clock::now() < deadline) {
        bool done = false;
        client.async_read_some(asio::buffer(buffer), [&](const boost::system::error_code& e, std::size_t n) {
            error = e;
            received.append(buffer.data(), n);
            done = true;
        });
        io.restart();  // the aborted session left the context without work: it stopped
        while (!done && std::chrono::steady_clock::now() < deadline) io.run_one_until(deadline);
    }
    EXPECT_TRUE(error == asio::error::eof || error == asio::error::connection_reset) << error.message() << " after " << received;
    EXPECT_EQ(received.find("y|"), std::string::npos) << received;
}

}  // namespace
}  // namespace evsim::producers
