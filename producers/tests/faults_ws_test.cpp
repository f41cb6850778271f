// Stream faults on scenario WebSocket producers, checked with Beast's client and on the raw frames
// of a real server on 127.0.0.1 port 0: close with a code, reset, malformed (invalid UTF-8), split
// into fragments, drip and stall.
#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/option.hpp>
#include <boost/system/system_error.hpp>
#include <string>
#include <vector>

#include "faults_test_support.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using faults::Kind;
using faults_test::after;
using faults_test::Clock;
using faults_test::make_fault;
using faults_test::RawClient;
using faults_test::ws_frames;
using scenario::ProducerType;

// Counter values from 1000 at 100 messages a second: every message is 4 bytes of text.
scenario::ProducerSpec ws_spec(std::vector<faults::FaultSpec> faults) {
    auto spec = test::make_spec("ws", ProducerType::ws);
    spec.payload = payload::Counter{1000, 1};
    spec.cadence = cadence::Rate{100};
    spec.faults = std::move(faults);
    return spec;
}

faults::FaultSpec ws_fault(Kind kind, faults::Trigger trigger, const std::function<void(faults::FaultSpec&)>& edit = {}) {
    return make_fault(kind, trigger, "ws", edit);
}

// Reads `count` messages; the error that stopped it, if any.
beast::error_code read_messages(test::WsClient& client, std::size_t count, std::vector<std::string>& messages,
                                std::vector<Clock::time_point>* times = nullptr) {
    while (messages.size() < count) {
        try {
            messages.push_back(client.read());
            if (times) times->push_back(Clock::now());
        } catch (const boost::system::system_error& e) {
            return e.code();
        }
    }
    return {};
}

// Upgrades a raw connection: sends the request and reads the 101.
void upgrade(RawClient& client) {
    client.send(faults_test::ws_upgrade_request());
    EXPECT_TRUE(client.read_until(faults_test::header_complete));
    EXPECT_EQ(client.received().substr(0, 12), "HTTP/1.1 101") << client.received();
}

// Reads raw frames until there are `count` of them.
std::vector<faults_test::Frame> read_frames(RawClient& client, std::size_t count) {
    client.read_until([&](const std::string& r) { return ws_frames(r).size() >= count; });
    auto frames = ws_frames(client.received());
    EXPECT_GE(frames.size(), count);
    return frames;
}

TEST(FaultsWsTest, CloseSendsACloseFrameWithTheCodeAfterTheNthMessage) {
    test::LogCapture log;
    test::RunningSet running(
        test::make_scenario({ws_spec({ws_fault(Kind::close, after(3), [](auto& f) { f.close_code = 4001; })})}),
        test::set_options(log));
    test::WsClient client(running.port("ws"));
    std::vector<std::string> messages;
    const auto error = read_messages(client, 10, messages);
    EXPECT_EQ(error, websocket::error::closed) << error.message();
    ASSERT_EQ(messages.size(), 3U);
    EXPECT_TRUE(faults_test::consecutive(messages));
    EXPECT_EQ(client.stream().reason().code, 4001);
    EXPECT_EQ(running.stats("ws").faults_injected, 1U);
}

TEST(FaultsWsTest, CloseFrameOnTheWire) {
    test::LogCapture log;
    test::RunningSet running(
        test::make_scenario({ws_spec({ws_fault(Kind::close, after(2), [](auto& f) { f.close_code = 4001; })})}),
        test::set_options(log));
    RawClient client(running.port("ws"));
    upgrade(client);
    const auto frames = read_frames(client, 3);
    ASSERT_GE(frames.size(), 3U);
    EXPECT_EQ(frames[0].opcode, 1);
    EXPECT_EQ(frames[1].opcode, 1);
    EXPECT_EQ(frames[2].opcode, 8);  // close
    EXPECT_EQ(frames[2].payload.substr(0, 2), std::string("\x0f\xa1", 2));  // 4001, big-endian
    EXPECT_EQ(frames.size(), 3U) << "frames after the close frame";
}

TEST(FaultsWsTest, MalformedIsATextFrameOfInvalidUtf8BeforeTheMessage) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({ws_spec({ws_fault(Kind::malformed, after(3))})}),
                             test::set_options(log));
    // Beast, like a browser, fails the connection on the invalid payload.
    {
        test::WsClient client(running.port("ws"));
        std::vector<std::string> messages;
        const auto error = read_messages(client, 10, messages);
        EXPECT_EQ(error, websocket::error::bad_frame_payload) << error.message();
        EXPECT_EQ(messages.size(), 2U);
    }
    // On the wire: a complete text frame holding exactly the bytes, then the 3rd message.
    RawClient client(running.port("ws"));
    upgrade(client);
    const auto frames = read_frames(client, 6);
    ASSERT_GE(frames.size(), 6U);
    EXPECT_TRUE(frames[2].fin);
    EXPECT_EQ(frames[2].opcode, 1);
    EXPECT_EQ(frames[2].payload, faults::default_malformed_ws());
    std::vector<std::string> messages;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        if (i == 2) continue;
        EXPECT_TRUE(frames[i].fin);
        EXPECT_EQ(frames[i].opcode, 1);
        messages.push_back(frames[i].payload);
    }
    EXPECT_TRUE(faults_test::consecutive(messages));
}

TEST(FaultsWsTest, SplitSendsFragmentsThatReassembleIntoTheSameMessage) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({ws_spec({ws_fault(Kind::split, after(3), [](auto& f) {
                                 f.at_bytes = {1, 3};
                                 f.gap = 30ms;
                             })})}),
                             test::set_options(log));
    {
        test::WsClient client(running.port("ws"));
        std::vector<std::string> messages;
        EXPECT_FALSE(read_messages(client, 6, messages));
        EXPECT_TRUE(faults_test::consecutive(messages)) << messages[2];
        for (const auto& message : messages) EXPECT_EQ(message.size(), 4U);
    }
    RawClient client(running.port("ws"));
    upgrade(client);
    const auto frames = read_frames(client, 8);
    ASSERT_GE(frames.size(), 8U);
    // "N" | "NN" | "N": text without FIN, continuation without FIN, continuation with FIN.
    EXPECT_FALSE(frames[2].fin);
    EXPECT_EQ(frames[2].opcode, 1);
    EXPECT_EQ(frames[2].payload.size(), 1U);
    EXPECT_FALSE(frames[3].fin);
    EXPECT_EQ(frames[3].opcode, 0);
    EXPECT_EQ(frames[3].payload.size(), 2U);
    EXPECT_TRUE(frames[4].fin);
    EXPECT_EQ(frames[4].opcode, 0);
    EXPECT_EQ(frames[4].payload.size(), 1U);
    const auto third = frames[2].payload + frames[3].payload + frames[4].payload;
    EXPECT_EQ(std::stoll(third), std::stoll(frames[1].payload) + 1);
    EXPECT_EQ(std::stoll(frames[5].payload), std::stoll(third) + 1);
    EXPECT_GE(client.time_of(frames[3].begin) - client.time_of(frames[2].begin), 25ms);
    EXPECT_GE(client.time_of(frames[4].begin) - client.time_of(frames[3].begin), 25ms);
}

TEST(FaultsWsTest, DripSendsFragmentsChunkBytesLongGapApart) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({ws_spec({ws_fault(Kind::drip, after(2), [](auto& f) {
                                 f.chunk = 2;
                                 f.gap = 10ms;
                                 f.duration = 150ms;
                             })})}),
                             test::set_options(log));
    RawClient client(running.port("ws"));
    upgrade(client);
    const auto frames = read_frames(client, 11);
    ASSERT_GE(frames.size(), 11U);
    // Messages 2 to 6 are two 2-byte fragments each: text without FIN, continuation with FIN.
    std::vector<std::string> messages{frames[0].payload};
    for (std::size_t i = 1; i + 1 <= 10; i += 2) {
        EXPECT_EQ(frames[i].opcode, 1) << i;
        EXPECT_FALSE(frames[i].fin) << i;
        EXPECT_EQ(frames[i].payload.size(), 2U) << i;
        EXPECT_EQ(frames[i + 1].opcode, 0) << i + 1;
        EXPECT_TRUE(frames[i + 1].fin) << i + 1;
        EXPECT_EQ(frames[i + 1].payload.size(), 2U) << i + 1;
        messages.push_back(frames[i].payload + frames[i + 1].payload);
    }
    EXPECT_TRUE(faults_test::consecutive(messages));
    // `gap` apart, from one message to the next too: 8 gaps from message 2 to message 6 (4 if the
    // gap were skipped between messages).
    EXPECT_GE(client.time_of(frames[9].begin) - client.time_of(frames[1].begin), 65ms);
}

TEST(FaultsWsTest, StallSendsNothingForTheDuration) {
    test::LogCapture log;
    const auto duration = 300ms;
    test::RunningSet running(
        test::make_scenario({ws_spec({ws_fault(Kind::stall, after(2), [&](auto& f) { f.duration = duration; })})}),
        test::set_options(log));
    test::WsClient client(running.port("ws"));
    std::vector<std::string> messages;
    std::vector<Clock::time_point> times;
    EXPECT_FALSE(read_messages(client, 6, messages, &times));
    ASSERT_EQ(messages.size(), 6U);
    EXPECT_TRUE(faults_test::consecutive(messages));
    EXPECT_GE(times[2] - times[1], duration - 10ms);
}

TEST(FaultsWsTest, ResetAbortsTheConnection) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({ws_spec({ws_fault(Kind::reset, after(2))})}), test::set_options(log));
    test::WsClient client(running.port("ws"));
    std::vector<std::string> messages;
    const auto error = read_messages(client, 10, messages);
    EXPECT_EQ(error, asio::error::connection_reset) << error.message();
    EXPECT_EQ(messages.size(), 2U);
    EXPECT_EQ(running.stats("ws").faults_injected, 1U);
}

// With permessage-deflate agreed, shaped writes still deliver whole, consecutive messages.
void expect_intact_with_deflate(const faults::FaultSpec& fault) {
    test::LogCapture log;
    auto spec = ws_spec({fault});
    spec.ws.permessage_deflate = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::WsClient client(running.port("ws"), "/", [](test::WsClient::Stream& ws) {
        websocket::permessage_deflate deflate;
        deflate.client_enable = true;
        ws.set_option(deflate);
    });
    EXPECT_NE(client.handshake_response()[beast::http::field::sec_websocket_extensions].find("permessage-deflate"),
              std::string::npos);
    std::vector<std::string> messages;
    EXPECT_FALSE(read_messages(client, 6, messages));
    EXPECT_TRUE(faults_test::consecutive(messages));
    for (const auto& message : messages) EXPECT_EQ(message.size(), 4U) << message;
    EXPECT_GE(running.stats("ws").faults_injected, 1U);
}

TEST(FaultsWsTest, SplitWithPermessageDeflateDeliversWholeMessages) {
    expect_intact_with_deflate(ws_fault(Kind::split, after(2), [](auto& f) {
        f.at_bytes = {1, 3};
        f.gap = 10ms;
    }));
}

TEST(FaultsWsTest, DripWithPermessageDeflateDeliversWholeMessages) {
    expect_intact_with_deflate(ws_fault(Kind::drip, after(2), [](auto& f) {
        f.duration = 50ms;
        f.gap = 5ms;
    }));
}

TEST(FaultsWsTest, AtClosesTheConnectionThatLongAfterItOpened) {
    test::LogCapture log;
    test::RunningSet running(
        test::make_scenario({ws_spec({ws_fault(Kind::close, faults_test::at(150ms), [](auto& f) { f.close_code = 4002; })})}),
        test::set_options(log));
    const auto opened = Clock::now();
    test::WsClient client(running.port("ws"));
    std::vector<std::string> messages;
    const auto error = read_messages(client, 1000, messages);
    EXPECT_EQ(error, websocket::error::closed) << error.message();
    EXPECT_EQ(client.stream().reason().code, 4002);
    EXPECT_GE(Clock::now() - opened, 140ms);
    EXPECT_TRUE(faults_test::consecutive(messages));
    EXPECT_GE(messages.size(), 3U);  // 100 messages a second for 150 ms, give or take the start
}

}  // namespace
}  // namespace evsim::producers
