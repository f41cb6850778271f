// Requests the emitters must refuse without harm: each gets its status, a log line, and a closed
// connection, and the server goes on serving.
#include <gtest/gtest.h>

#include <random>

#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Sends `bytes`, expects a response starting with `status_line` and then the connection closed.
void expect_rejected(std::uint16_t port, const std::string& bytes, const std::string& status_line) {
    test::Client client(port);
    client.send(bytes);
    EXPECT_TRUE(client.wait_closed()) << "connection left open after " << status_line;
    const std::string response = client.read_until([](const std::string&) { return true; });
    EXPECT_EQ(response.rfind(status_line + "\r\n", 0), 0U) << response;
    EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos) << response;
}

TEST(HttpRejectionTest, MalformedRequestsGet400) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    expect_rejected(running.fetch_port(), "this is not http\r\n\r\n", "HTTP/1.1 400 Bad Request");
    EXPECT_TRUE(log.wait_for("400 Bad Request"));
    expect_rejected(running.fetch_port(), "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request");  // no Host
    EXPECT_TRUE(log.wait_for("without Host"));
    expect_rejected(running.sse_port(), "GET / HTTP/1.1\r\nHost: x\r\nBad Header Name: y\r\n\r\n",
                    "HTTP/1.1 400 Bad Request");
    expect_rejected(running.ws_port(), "GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(running.emitters().stats().requests_rejected, 4U);
}

TEST(HttpRejectionTest, OversizedHeaderGets431) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    const std::string big(9000, 'a');
    for (const auto port : {running.fetch_port(), running.sse_port(), running.ws_port()}) {
        expect_rejected(port, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n",
                        "HTTP/1.1 431 Request Header Fields Too Large");
    }
    EXPECT_TRUE(log.wait_for("431 Request Header Fields Too Large"));

    // Just under the limit is fine.
    test::Client client(running.fetch_port());
    auto request = test::make_request(http::verb::get);
    request.set("X-Big", std::string(7000, 'a'));
    EXPECT_EQ(client.request(request).result(), http::status::ok);
}

TEST(HttpRejectionTest, OversizedBodyGets413) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    expect_rejected(running.fetch_port(),
                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n" + std::string(1000, 'b'),
                    "HTTP/1.1 413 Payload Too Large");
}

TEST(HttpRejectionTest, SilentOrStalledClientsAreClosedAfterTheHeaderTimeout) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.http.header_timeout = 200ms;
    test::RunningEmitters running(options);
    {
        test::Client silent(running.sse_port());
        EXPECT_TRUE(silent.wait_closed(3s));
        EXPECT_TRUE(silent.read_until([](const std::string&) { return true; }).empty());
    }
    {
        test::Client stalled(running.fetch_port());
        stalled.send("GET / HTTP/1.1\r\nHost: x\r\n");  // never finishes its header
        EXPECT_TRUE(stalled.wait_closed(3s));
    }
    EXPECT_TRUE(log.wait_for("no complete request within 200 ms"));
}

TEST(HttpRejectionTest, RandomBytesNeverTakeTheServerDown) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    std::mt19937 random(99);
    static constexpr char letters[] = "GETPOST /HTP1.\r\n:abc\0\xff ";
    const std::string alphabet(letters, sizeof letters - 1);  // the NUL included
    for (int i = 0; i < 150; ++i) {
        std::string bytes;
        const int length = static_cast<int>(random() % 300);
        for (int j = 0; j < length; ++j) bytes += alphabet[random() % alphabet.size()];
        bytes += "\r\n\r\n";
        const std::uint16_t port = i % 3 == 0 ? running.fetch_port() : i % 3 == 1 ? running.sse_port() : running.ws_port();
        test::Client client(port);
        client.send(bytes);
        // Whatever the answer, the connection must not linger past the header timeout.
        client.read_until([](const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; }, 1s);
    }
    test::Client client(running.fetch_port());
    EXPECT_EQ(client.request(http::verb::get).result(), http::status::ok);
    EXPECT_TRUE(running.stop());
}

}  // namespace
}  // namespace evsim::producers
