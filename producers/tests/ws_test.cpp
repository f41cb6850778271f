#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/system/system_error.hpp>

#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;

TEST(WsEmitterTest, TextMessagesOnConnectAndEveryInterval) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::WsClient client(running.ws_port(), "/any");
    for (int i = 0; i < 6; ++i) {
        const std::string message = client.read();
        EXPECT_TRUE(test::is_sample_value(message)) << message;
        EXPECT_TRUE(client.stream().got_text());
    }
    client.close();  // completes only when the server answered the close frame
    EXPECT_TRUE(running.eventually([](ReferenceEmitters& e) { return e.ws_clients() == 0; }));
    EXPECT_TRUE(log.lines().empty());
}

TEST(WsEmitterTest, FirstMessageArrivesAtOnceAndIsTheSameForEveryClient) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.interval = 60s;
    test::RunningEmitters running(options);
    const auto started = std::chrono::steady_clock::now();
    test::WsClient a(running.ws_port());
    test::WsClient b(running.ws_port());
    const std::string first = a.read();
    EXPECT_EQ(b.read(), first);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    EXPECT_TRUE(test::is_sample_value(first));
}

TEST(WsEmitterTest, PingsAreAnswered) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::WsClient client(running.ws_port());
    bool pong = false;
    client.stream().control_callback([&](websocket::frame_type kind, beast::string_view payload) {
        if (kind == websocket::frame_type::pong && payload == "are you there") pong = true;
    });
    beast::error_code error;
    client.stream().async_ping("are you there", [&](const beast::error_code& e) { error = e; });
    // The pong is processed while reading messages.
    for (int i = 0; i < 20 && !pong; ++i) client.read();
    EXPECT_FALSE(error);
    EXPECT_TRUE(pong);
}

TEST(WsEmitterTest, PlainHttpRequestGets426) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::Client client(running.ws_port());
    const auto response = client.request(http::verb::get);
    EXPECT_EQ(response.result(), http::status::upgrade_required);
    EXPECT_EQ(response[http::field::upgrade], "websocket");
    EXPECT_EQ(client.request(http::verb::post).result(), http::status::method_not_allowed);
}

TEST(WsEmitterTest, ConfiguredPathServesOnlyThatPath) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.ws.path = "/live";
    test::RunningEmitters running(options);
    test::WsClient client(running.ws_port(), "/live");
    EXPECT_TRUE(test::is_sample_value(client.read()));
    try {
        test::WsClient other(running.ws_port(), "/other");
        ADD_FAILURE() << "handshake to /other succeeded";
    } catch (const boost::system::system_error& e) {
        EXPECT_EQ(e.code(), websocket::error::upgrade_declined) << e.what();
    }
}

// An upgrade request with `extra_headers` is refused: the response starts with `status_line`, the
// connection closes, the log says why. Returns the response head.
std::string expect_refused(const std::string& extra_headers, const std::string& status_line, const std::string& logged) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::Client client(running.ws_port());
    client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" + extra_headers +
                "\r\n");
    const std::string response = client.read_until([](const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; });
    EXPECT_EQ(response.rfind(status_line, 0), 0U) << response;
    EXPECT_TRUE(client.wait_closed());
    EXPECT_TRUE(log.wait_for("WebSocket handshake refused: " + logged));
    return response;
}

TEST(WsEmitterTest, BadUpgradeRequestIsRejectedAndLogged) {
    expect_refused("Sec-WebSocket-Version: 13\r\n", "HTTP/1.1 400", "Sec-WebSocket-Key");  // no key
    expect_refused("Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n", "HTTP/1.1 400", "Sec-WebSocket-Key");
}

TEST(WsEmitterTest, UnknownVersionGets426NamingVersion13) {
    const auto response = expect_refused("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n",
                                         "HTTP/1.1 426", "this server speaks WebSocket version 13");
    EXPECT_NE(response.find("Sec-WebSocket-Version: 13\r\n"), std::string::npos) << response;
}

}  // namespace
}  // namespace evsim::producers
