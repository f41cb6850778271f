// Scenario WebSocket producers: binary frames, subprotocol agreement, permessage-deflate, measurement
// envelopes and the latest value on connect, against a real server on 127.0.0.1 port 0.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/option.hpp>
#include <optional>
#include <string>

#include "evsim/core/measurement.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using scenario::ProducerType;

scenario::ProducerSpec ws_spec() {
    auto spec = test::make_spec("socket", ProducerType::ws);
    spec.payload = payload::Counter{};
    spec.cadence = cadence::FixedInterval{20ms};
    return spec;
}

bool is_number(const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

TEST(ScenarioWsTest, TextFramesByDefault) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({ws_spec()}), test::set_options(log));
    test::WsClient client(running.port("socket"));
    const auto first = std::stoull(client.read());
    EXPECT_TRUE(client.stream().got_text());
    EXPECT_EQ(client.read(), std::to_string(first + 1));
    EXPECT_TRUE(client.stream().got_text());
    client.close();
}

TEST(ScenarioWsTest, BinaryFramesWhenConfigured) {
    test::LogCapture log;
    auto spec = ws_spec();
    spec.ws.binary = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::WsClient client(running.port("socket"));
    std::optional<unsigned long long> previous;
    for (int i = 0; i < 3; ++i) {
        const auto message = client.read();
        EXPECT_TRUE(client.stream().got_binary()) << message;
        ASSERT_TRUE(is_number(message)) << message;
        if (previous) {
            EXPECT_EQ(std::stoull(message), *previous + 1);
        }
        previous = std::stoull(message);
    }
    client.close();
}

TEST(ScenarioWsTest, SubprotocolAgreedWhenOffered) {
    test::LogCapture log;
    auto spec = ws_spec();
    spec.ws.subprotocol = "evsim.v1";
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::WsClient client(running.port("socket"), "/", [](test::WsClient::Stream& ws) {
        ws.set_option(websocket::stream_base::decorator(
            [](websocket::request_type& request) { request.set(http::field::sec_websocket_protocol, "chat, evsim.v1"); }));
    });
    EXPECT_EQ(client.handshake_response().result(), http::status::switching_protocols);
    EXPECT_EQ(client.handshake_response()[http::field::sec_websocket_protocol], "evsim.v1");
    EXPECT_TRUE(is_number(client.read()));
    client.close();
}

TEST(ScenarioWsTest, NoSubprotocolWhenNotOffered) {
    test::LogCapture log;
    auto spec = ws_spec();
    spec.ws.subprotocol = "evsim.v1";
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    {
        test::WsClient client(running.port("socket"));
        EXPECT_EQ(client.handshake_response().count(http::field::sec_websocket_protocol), 0U);
        EXPECT_TRUE(is_number(client.read()));
        client.close();
    }
    // Offering something else is not agreeing either.
    test::WsClient client(running.port("socket"), "/", [](test::WsClient::Stream& ws) {
        ws.set_option(websocket::stream_base::decorator(
            [](websocket::request_type& request) { request.set(http::field::sec_websocket_protocol, "evsim.v2"); }));
    });
    EXPECT_EQ(client.handshake_response().count(http::field::sec_websocket_protocol), 0U);
    EXPECT_TRUE(is_number(client.read()));
    client.close();
}

TEST(ScenarioWsTest, NoSubprotocolWhenTheProducerHasNone) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({ws_spec()}), test::set_options(log));
    test::WsClient client(running.port("socket"), "/", [](test::WsClient::Stream& ws) {
        ws.set_option(websocket::stream_base::decorator(
            [](websocket::request_type& request) { request.set(http::field::sec_websocket_protocol, "evsim.v1"); }));
    });
    EXPECT_EQ(client.handshake_response().count(http::field::sec_websocket_protocol), 0U);
    client.close();
}

void enable_client_deflate(test::WsClient::Stream& ws) {
    websocket::permessage_deflate deflate;
    deflate.client_enable = true;
    ws.set_option(deflate);
}

TEST(ScenarioWsTest, PermessageDeflateNegotiatedWhenBothEnableIt) {
    test::LogCapture log;
    auto spec = ws_spec();
    spec.ws.permessage_deflate = true;
    payload::PadTo padded;
    padded.inner = payload::Counter{};
    padded.size = 4000;
    padded.fill = '.';
    spec.payload = padded;  // compressible
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::WsClient client(running.port("socket"), "/", enable_client_deflate);
    const auto extensions = client.handshake_response()[http::field::sec_websocket_extensions];
    EXPECT_NE(std::string(extensions).find("permessage-deflate"), std::string::npos) << extensions;
    std::optional<unsigned long long> previous;
    for (int i = 0; i < 4; ++i) {
        const auto message = client.read();
        ASSERT_EQ(message.size(), 4000U);
        const auto digits = message.find('.');
        ASSERT_NE(digits, std::string::npos);
        EXPECT_EQ(message.find_first_not_of('.', digits), std::string::npos);
        const auto value = std::stoull(message.substr(0, digits));
        if (previous) {
            EXPECT_EQ(value, *previous + 1);
        }
        previous = value;
    }
    client.close();
}

TEST(ScenarioWsTest, NoPermessageDeflateWhenTheProducerDisablesIt) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({ws_spec()}), test::set_options(log));
    test::WsClient client(running.port("socket"), "/", enable_client_deflate);
    EXPECT_EQ(client.handshake_response().count(http::field::sec_websocket_extensions), 0U);
    EXPECT_TRUE(is_number(client.read()));
    client.close();
}

TEST(ScenarioWsTest, NoPermessageDeflateWhenTheClientDoesNotAsk) {
    test::LogCapture log;
    auto spec = ws_spec();
    spec.ws.permessage_deflate = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::WsClient client(running.port("socket"));
    EXPECT_EQ(client.handshake_response().count(http::field::sec_websocket_extensions), 0U);
    EXPECT_TRUE(is_number(client.read()));
    client.close();
}

TEST(ScenarioWsTest, MeasurementEnvelope) {
    test::LogCapture log;
    auto spec = ws_spec();
    spec.cadence = cadence::Rate{200};
    spec.measurement_metadata = true;
    const auto before_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::WsClient client(running.port("socket"));
    std::optional<measurement::Stamp> previous;
    for (int i = 0; i < 6; ++i) {
        const auto message = client.read();
        const auto now_us =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        const auto envelope = measurement::parse_envelope(message);
        ASSERT_TRUE(envelope) << message;
        EXPECT_EQ(std::string(envelope->data), std::to_string(envelope->stamp.seq - 1));
        EXPECT_GE(envelope->stamp.sent_us, before_us);
        EXPECT_LE(envelope->stamp.sent_us, now_us);
        if (previous) {
            EXPECT_EQ(envelope->stamp.seq, previous->seq + 1);
        }
        previous = envelope->stamp;
    }
    client.close();
}

TEST(ScenarioWsTest, MeasurementEnvelopeQuotesTextPayloads) {
    test::LogCapture log;
    auto spec = ws_spec();
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    spec.payload = payload::Constant{"he said \"hi\""};
    spec.measurement_metadata = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::WsClient client(running.port("socket"));
    const auto message = client.read();
    const auto envelope = measurement::parse_envelope(message);
    ASSERT_TRUE(envelope) << message;
    EXPECT_EQ(envelope->stamp.seq, 1U);
    EXPECT_EQ(std::string(envelope->data), R"("he said \"hi\"")");
    client.close();
}

TEST(ScenarioWsTest, LatestValueOnConnect) {
    test::LogCapture log;
    auto spec = ws_spec();
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    spec.payload = payload::Counter{41, 1};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    {
        test::WsClient client(running.port("socket"));
        EXPECT_EQ(client.read(), "41");  // the start emission, long before the next one is due
        client.close();
    }
    running.publish("socket", "", "published");
    test::WsClient client(running.port("socket"));
    EXPECT_EQ(client.read(), "published");
    running.publish("socket", "", "next");
    EXPECT_EQ(client.read(), "next");
    client.close();
}

}  // namespace
}  // namespace evsim::producers
