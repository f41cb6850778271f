#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using namespace std::chrono_literals;

TEST(ReferenceEmittersTest, PortZeroPicksFreePortsAndUrlsShowThem) {
    test::LogCapture log;
    test::TempDir dir;
    auto options = test::test_options(log);
    options.file.enabled = true;
    options.file.path = dir.path() / "data.tmp";
    options.sse.path = "/events";
    test::RunningEmitters running(options);
    const auto fetch = running.fetch_port();
    const auto sse = running.sse_port();
    const auto ws = running.ws_port();
    EXPECT_NE(fetch, 0);
    EXPECT_NE(sse, 0);
    EXPECT_NE(ws, 0);
    EXPECT_NE(fetch, sse);
    EXPECT_NE(sse, ws);
    const auto urls = running.emitters().urls();
    ASSERT_EQ(urls.size(), 4U);
    EXPECT_EQ(urls[0].url, "http://127.0.0.1:" + std::to_string(fetch));
    EXPECT_EQ(urls[1].url, "http://127.0.0.1:" + std::to_string(sse) + "/events");
    EXPECT_EQ(urls[2].url, "ws://127.0.0.1:" + std::to_string(ws));
    EXPECT_EQ(urls[3].url, "file://" + (dir.path() / "data.tmp").string());
    EXPECT_EQ(urls[3].kind, EmitterUrl::Kind::file);
}

TEST(ReferenceEmittersTest, BusyPortIsABindErrorNamingThePort) {
    asio::io_context io;
    asio::ip::tcp::acceptor occupant(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto port = occupant.local_endpoint().port();
    test::LogCapture log;
    auto options = test::test_options(log);
    options.sse.port = port;
    try {
        ReferenceEmitters emitters(io, options);
        ADD_FAILURE() << "bound a port that is in use";
    } catch (const BindError& e) {
        EXPECT_NE(std::string(e.what()).find(std::to_string(port)), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
    }
}

TEST(ReferenceEmittersTest, BadOptionsAreInvalidArguments) {
    asio::io_context io;
    test::LogCapture log;
    auto no_slash = test::test_options(log);
    no_slash.fetch.path = "temperature";
    EXPECT_THROW(ReferenceEmitters(io, no_slash), std::invalid_argument);
    auto nothing = test::test_options(log);
    nothing.fetch.enabled = nothing.sse.enabled = nothing.ws.enabled = nothing.file.enabled = false;
    EXPECT_THROW(ReferenceEmitters(io, nothing), std::invalid_argument);
    auto no_queue = test::test_options(log);
    no_queue.queue_capacity = 0;
    EXPECT_THROW(ReferenceEmitters(io, no_queue), std::invalid_argument);
    auto bad_host = test::test_options(log);
    bad_host.host = "not an address!";
    EXPECT_THROW(ReferenceEmitters(io, bad_host), std::invalid_argument);
}

TEST(ReferenceEmittersTest, StopClosesEveryConnectionAndTheIoContextRunsOut) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.shutdown_grace = 3s;  // far longer than a well-behaved close takes
    test::RunningEmitters running(options);

    test::Client sse(running.sse_port());
    sse.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_NE(sse.read_until([](const std::string& r) { return r.find("\n\n", r.find("\r\n\r\n") + 4) != std::string::npos; })
                  .find("data: "),
              std::string::npos);
    test::WsClient ws(running.ws_port());
    ws.read();
    test::Client fetch(running.fetch_port());
    EXPECT_EQ(fetch.request(http::verb::get).result(), http::status::ok);  // now idle in keep-alive
    test::Client idle(running.fetch_port());                                 // never sends anything

    const auto started = std::chrono::steady_clock::now();
    running.request_stop();
    // The WebSocket client gets a close frame saying the server is going away, and answers it.
    const auto error = ws.read_until_error();
    EXPECT_EQ(error, websocket::error::closed) << error.message();
    EXPECT_EQ(ws.stream().reason().code, websocket::close_code::going_away);
    // io_context::run() returned: no handler, timer or socket left. Well before the grace period
    // ends, since the last connection closing cancels the grace timer.
    ASSERT_TRUE(running.wait_stopped());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);

    EXPECT_TRUE(sse.wait_closed());
    EXPECT_TRUE(fetch.wait_closed());
    EXPECT_TRUE(idle.wait_closed());

    // And nothing listens any more.
    EXPECT_THROW(test::Client(running.fetch_port()), boost::system::system_error);
}

TEST(ReferenceEmittersTest, UnresponsiveWebSocketClientIsCutAfterTheGracePeriod) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.shutdown_grace = 300ms;
    test::RunningEmitters running(options);
    // Connects and then never reads again, so it never answers the server's close frame.
    test::WsClient ws(running.ws_port());
    ws.read();
    const auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(running.stop(3s));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 250ms);
}

}  // namespace
}  // namespace evsim::producers
