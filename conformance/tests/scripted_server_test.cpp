// The scripted server writes exactly what the script says, split where it says, and records requests.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
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

}  // namespace
}  // namespace evsim::conformance
