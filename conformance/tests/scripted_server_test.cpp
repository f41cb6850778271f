// The scripted server writes exactly what the script says, split where it says, and records requests.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <mutex>
#include <optional>
#include <thread>

#include "evsim/conformance/scripted_server_thread.hpp"

namespace evsim::conformance {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;


// A blocking client: sends `request`, returns everything until the server closes.
std::string fetch_raw(std::uint16_t port, const std::string& request, boost::system::error_code& final_error) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    asio::write(socket, asio::buffer(request));
    std::string out;
    char buf[256];
    for (;;) {
        const std::size_t n = socket.read_some(asio::buffer(buf), final_error);
        out.append(buf, n);
        if (final_error) return out;
    }
}

TEST(ScriptedServer, PlaysTheScriptAndRecordsTheRequest) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(), {{0ms, "data: a\n"}, {20ms, "\n"}}, Ending::close}});
    boost::system::error_code ec;
    const std::string got = fetch_raw(t.server().port(),
                                      "GET /x?y=1 HTTP/1.1\r\nHost: h\r\nLast-Event-ID: 5\r\n\r\n", ec);
    EXPECT_EQ(got, event_stream_head() + "data: a\n\n");
    EXPECT_EQ(ec, asio::error::eof);
    ASSERT_TRUE(t.server().wait_for_requests(1, 5s));
    const auto requests = t.server().requests();
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].target, "/x?y=1");
    EXPECT_EQ(requests[0].header("last-event-id"), "5");
    EXPECT_EQ(requests[0].header("Missing"), std::nullopt);
}

TEST(ScriptedServer, ConnectionsPlayTheirOwnEntryThenRepeatTheLast) {
    ScriptedServerThread t({ScriptedResponse{make_head(204, {}), {}, Ending::close},
                    ScriptedResponse{make_head(500, {{"X-A", "b"}}), {}, Ending::close}});
    boost::system::error_code ec;
    const std::string request = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    EXPECT_EQ(fetch_raw(t.server().port(), request, ec), "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(fetch_raw(t.server().port(), request, ec),
              "HTTP/1.1 500 Internal Server Error\r\nX-A: b\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(fetch_raw(t.server().port(), request, ec),
              "HTTP/1.1 500 Internal Server Error\r\nX-A: b\r\nConnection: close\r\n\r\n");
    ASSERT_TRUE(t.server().wait_for_requests(3, 5s));
    EXPECT_EQ(t.server().requests()[2].connection, 2U);
}

TEST(ScriptedServer, ResetEndsWithConnectionReset) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(), {{0ms, "data: a\n\n"}}, Ending::reset}});
    boost::system::error_code ec;
    fetch_raw(t.server().port(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n", ec);
    EXPECT_EQ(ec, asio::error::connection_reset);
}

TEST(ScriptedServer, MalformedRequestIsDroppedNotRecorded) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(), {}, Ending::close}});
    boost::system::error_code ec;
    EXPECT_EQ(fetch_raw(t.server().port(), "NOT HTTP AT ALL\r\n\r\n", ec), "");
    EXPECT_FALSE(t.server().wait_for_requests(1, 100ms));
}

TEST(ScriptedServer, AConnectionThatSendsNoRequestTakesNoEntryOfTheScript) {
    // A browser opens spare connections it may never use: the script follows requests, not accepts.
    ScriptedServerThread t({ScriptedResponse{make_head(204, {}), {}, Ending::close},
                            ScriptedResponse{make_head(500, {}), {}, Ending::close}});
    asio::io_context io;
    tcp::socket idle(io);
    idle.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), t.server().port()));
    boost::system::error_code ec;
    EXPECT_EQ(fetch_raw(t.server().port(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n", ec),
              "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    ASSERT_TRUE(t.server().wait_for_requests(1, 5s));
    EXPECT_EQ(t.server().requests()[0].connection, 0U);
}

TEST(ScriptedServer, HarnessRequestsGoToTheHandlerAndAreNotRecorded) {
    std::mutex mutex;
    std::vector<HarnessRequest> seen;
    ScriptedServerThread t({ScriptedResponse{make_head(204, {}), {}, Ending::close}}, [&](const HarnessRequest& r) {
        std::lock_guard lock(mutex);
        seen.push_back(r);
        return ScriptedResponse{make_head(200, {{"Content-Length", "2"}}), {{0ms, "ok"}}, Ending::close};
    });
    boost::system::error_code ec;
    EXPECT_EQ(fetch_raw(t.server().port(),
                        "POST /__evsim/observe HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nlines", ec),
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    fetch_raw(t.server().port(), "GET /favicon.ico HTTP/1.1\r\nHost: h\r\n\r\n", ec);
    // The first scripted request still plays the first entry.
    EXPECT_EQ(fetch_raw(t.server().port(), "GET /case HTTP/1.1\r\nHost: h\r\n\r\n", ec),
              "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    ASSERT_TRUE(t.server().wait_for_requests(1, 5s));
    EXPECT_EQ(t.server().requests().size(), 1U);
    EXPECT_EQ(t.server().requests()[0].target, "/case");
    std::lock_guard lock(mutex);
    ASSERT_EQ(seen.size(), 2U);
    EXPECT_EQ(seen[0].method, "POST");
    EXPECT_EQ(seen[0].target, "/__evsim/observe");
    EXPECT_EQ(seen[0].body, "lines");
    EXPECT_EQ(seen[1].target, "/favicon.ico");
}

TEST(ScriptedServer, HarnessPathsAreNotFoundWithoutAHandler) {
    ScriptedServerThread t({ScriptedResponse{make_head(204, {}), {}, Ending::close}});
    boost::system::error_code ec;
    EXPECT_EQ(fetch_raw(t.server().port(), "GET /__evsim/page HTTP/1.1\r\nHost: h\r\n\r\n", ec).substr(0, 22),
              "HTTP/1.1 404 Not Found");
    EXPECT_FALSE(t.server().wait_for_requests(1, 50ms));
}

// An oversized harness body is judged on its Content-Length, before any of it is read (so none is
// sent here: unread bytes would turn the server's close into a reset).
std::string oversized_post() {
    return "POST /__evsim/observe HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(kMaxHarnessBody + 1) +
           "\r\n\r\n";
}

TEST(ScriptedServer, AnOversizedHarnessBodyReachesTheHandlerUnreadAndFlagged) {
    std::mutex mutex;
    std::optional<HarnessRequest> seen;
    ScriptedServerThread t({}, [&](const HarnessRequest& r) {
        std::lock_guard lock(mutex);
        seen = r;
        return ScriptedResponse{make_head(413, {}), {}, Ending::close};
    });
    boost::system::error_code ec;
    EXPECT_EQ(fetch_raw(t.server().port(), oversized_post(), ec).substr(0, 12), "HTTP/1.1 413");
    std::lock_guard lock(mutex);
    ASSERT_TRUE(seen);
    EXPECT_TRUE(seen->too_large);
    EXPECT_EQ(seen->body, "");
}

TEST(ScriptedServer, AnOversizedHarnessBodyIs413WithoutAHandler) {
    ScriptedServerThread t({});
    boost::system::error_code ec;
    EXPECT_EQ(fetch_raw(t.server().port(), oversized_post(), ec).substr(0, 12), "HTTP/1.1 413");
}

TEST(ScriptedServer, CountsTheStreamsOpenAtOnce) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(), {}, Ending::hang}});
    asio::io_context io;
    std::vector<tcp::socket> clients;
    for (int i = 0; i < 3; ++i) {
        clients.emplace_back(io);
        clients.back().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), t.server().port()));
        asio::write(clients.back(), asio::buffer(std::string("GET / HTTP/1.1\r\nHost: h\r\n\r\n")));
    }
    ASSERT_TRUE(t.server().wait_for_requests(3, 5s));
    // Each stream counts once its head went out; reading the head back proves that.
    for (auto& c : clients) {
        std::string head(event_stream_head().size(), '\0');
        asio::read(c, asio::buffer(head));
    }
    EXPECT_EQ(t.server().max_concurrent(), 3U);
    EXPECT_TRUE(t.server().wait_for_concurrent(3, 5s));
}

TEST(ScriptedServer, AStreamTheClientClosedStopsCountingAsOpen) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(), {}, Ending::hang}});
    asio::io_context io;
    {
        tcp::socket first(io);
        first.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), t.server().port()));
        asio::write(first, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: h\r\n\r\n")));
        std::string head(event_stream_head().size(), '\0');
        asio::read(first, asio::buffer(head));
        EXPECT_TRUE(t.server().wait_for_concurrent(1, 5s));
    }  // closed
    ASSERT_TRUE(t.server().wait_for_concurrent(0, 5s));
    tcp::socket second(io);
    second.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), t.server().port()));
    asio::write(second, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: h\r\n\r\n")));
    std::string head(event_stream_head().size(), '\0');
    asio::read(second, asio::buffer(head));
    EXPECT_EQ(t.server().max_concurrent(), 1U);  // one after the other, never two at once
}

}  // namespace
}  // namespace evsim::conformance
