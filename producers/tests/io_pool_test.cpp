// IoPool on its own, and producers whose connections are spread over two io_contexts: every client
// gets the same events whichever thread serves it, and stop() ends them all.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "evsim/producers/io_pool.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using scenario::ProducerType;

TEST(IoPoolTest, NextTakesMainAndEachWorkerInTurn) {
    asio::io_context main;
    IoPool pool(main, 2);
    EXPECT_EQ(pool.workers(), 2U);
    std::vector<asio::io_context*> seen;
    for (int i = 0; i < 6; ++i) seen.push_back(&pool.next());
    EXPECT_EQ(seen[0], &main);
    EXPECT_NE(seen[1], &main);
    EXPECT_NE(seen[2], &main);
    EXPECT_NE(seen[1], seen[2]);
    EXPECT_EQ(seen[3], seen[0]);  // round-robin
    EXPECT_EQ(seen[4], seen[1]);
    EXPECT_EQ(seen[5], seen[2]);
}

TEST(IoPoolTest, WithoutWorkersEverythingIsMain) {
    asio::io_context main;
    IoPool pool(main, 0);
    EXPECT_EQ(&pool.next(), &main);
    EXPECT_EQ(&pool.next(), &main);
}

TEST(IoPoolTest, WorkersRunHandlersOnTheirOwnThread) {
    asio::io_context main;
    IoPool pool(main, 1);
    pool.next();  // main's turn
    auto& worker = pool.next();
    std::promise<bool> ran;
    asio::post(worker, [&] { ran.set_value(worker.get_executor().running_in_this_thread()); });
    auto result = ran.get_future();
    ASSERT_EQ(result.wait_for(test::timeout), std::future_status::ready);
    EXPECT_TRUE(result.get());
}

TEST(IoPoolTest, ShutdownIsBoundedWhenAWorkerNeverRunsOutOfWork) {
    asio::io_context main;
    IoPool pool(main, 1);
    pool.next();
    asio::steady_timer forever(pool.next(), std::chrono::hours(1));
    forever.async_wait([](const boost::system::error_code&) {});
    const auto start = std::chrono::steady_clock::now();
    pool.shutdown(50ms);
    EXPECT_LT(std::chrono::steady_clock::now() - start, test::timeout);
    pool.shutdown();  // idempotent
}

TEST(IoPoolTest, ShutdownRunsHandlersLeftOnMain) {
    asio::io_context main;
    bool ran = false;
    {
        IoPool pool(main, 1);
        asio::post(main, [&ran] { ran = true; });  // main is not running: the pool runs it on the way out
    }
    EXPECT_TRUE(ran);
}

// Independent of EVSIM_TEST_WORKERS: these always spread connections over two contexts.
ProducerSetOptions two_contexts(test::LogCapture& log) {
    auto options = test::set_options(log);
    options.workers = 1;
    return options;
}

TEST(IoPoolProducersTest, EverySseClientGetsTheSameEventsWhicheverThreadServesIt) {
    test::LogCapture log;
    auto spec = test::make_spec("stream", ProducerType::sse);
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};  // the start emission, then publishes
    spec.payload = payload::Constant{"start"};
    test::RunningSet running(test::make_scenario({spec}), two_contexts(log));
    std::vector<std::unique_ptr<test::Client>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_unique<test::Client>(running.port("stream")));
        clients.back()->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("stream")->clients() == 4; }));
    running.publish("stream", "", "one");
    running.publish("stream", "", "two");
    for (auto& client : clients) {
        const auto received = client->read_until([](const std::string& r) { return r.find("data: two\n\n") != std::string::npos; });
        const auto start = received.find("data: start\n\n");
        const auto one = received.find("data: one\n\n");
        const auto two = received.find("data: two\n\n");
        ASSERT_NE(start, std::string::npos) << received;
        ASSERT_NE(one, std::string::npos) << received;
        ASSERT_NE(two, std::string::npos) << received;
        EXPECT_LT(start, one);  // the latest value first, then the events in order
        EXPECT_LT(one, two);
    }
    EXPECT_TRUE(running.stop());
    for (auto& client : clients) EXPECT_TRUE(client->wait_closed());
}

TEST(IoPoolProducersTest, WebSocketClientsOnBothContextsGetMessagesAndAreClosedOnStop) {
    test::LogCapture log;
    auto spec = test::make_spec("socket", ProducerType::ws);
    spec.cadence = cadence::FixedInterval{20ms};
    test::RunningSet running(test::make_scenario({spec}), two_contexts(log));
    std::vector<std::unique_ptr<test::WsClient>> clients;
    for (int i = 0; i < 4; ++i) clients.push_back(std::make_unique<test::WsClient>(running.port("socket")));
    for (auto& client : clients) EXPECT_TRUE(test::is_sample_value(client->read()));
    ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("socket")->clients() == 4; }));
    EXPECT_TRUE(running.stop());
    for (auto& client : clients) EXPECT_TRUE(client->read_until_error());
}

}  // namespace
}  // namespace evsim::producers
