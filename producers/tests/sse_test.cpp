#include <gtest/gtest.h>

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <regex>

#include "evsim/core/sse_parser.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;

constexpr std::string_view expected_header =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/event-stream\r\n"
    "Access-Control-Allow-Origin: *\r\n"
    "Cache-Control: no-cache\r\n"
    "Connection: keep-alive\r\n"
    "\r\n";

constexpr std::string_view stream_request = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";

// Complete events after the response header in what a client received so far.
std::size_t events_in(const std::string& received) {
    const auto body = received.find("\r\n\r\n");
    if (body == std::string::npos) return 0;
    std::size_t count = 0;
    for (auto at = received.find("\n\n", body + 4); at != std::string::npos; at = received.find("\n\n", at + 2)) {
        ++count;
    }
    return count;
}

struct CollectingHandler : sse::ParserHandler {
    void on_event(const sse::Event& event) override {
        types.emplace_back(event.type);
        data.emplace_back(event.data);
    }
    std::vector<std::string> types;
    std::vector<std::string> data;
};

TEST(SseEmitterTest, HeadersAndBodyBytesAreExactlyTheSamples) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::Client client(running.sse_port());
    client.send(stream_request);
    const std::string received = client.read_until([](const std::string& r) { return events_in(r) >= 4; });
    ASSERT_GE(events_in(received), 4U) << received;

    const auto header_end = received.find("\r\n\r\n") + 4;
    const std::string header = received.substr(0, header_end);
    EXPECT_EQ(header, expected_header);

    // The same header as an HTTP client library sees it.
    http::response_parser<http::empty_body> parser;
    parser.eager(false);
    beast::error_code error;
    parser.put(asio::buffer(header), error);
    ASSERT_FALSE(error) << error.message();
    ASSERT_TRUE(parser.is_header_done());
    const auto& response = parser.get();
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(response[http::field::content_type], "text/event-stream");
    EXPECT_EQ(response[http::field::access_control_allow_origin], "*");
    EXPECT_EQ(response[http::field::cache_control], "no-cache");
    EXPECT_EQ(response[http::field::connection], "keep-alive");
    EXPECT_EQ(response.count(http::field::content_length), 0U);
    EXPECT_EQ(response.count(http::field::transfer_encoding), 0U);  // close-delimited, not chunked

    // Raw body bytes: nothing but whole sample events (the read may end inside the next one).
    std::string body = received.substr(header_end);
    body.resize(body.rfind("\n\n") + 2);
    static const std::regex events(R"((event: temperature_sse\ndata: [1-9][0-9]\n\n)+)");
    EXPECT_TRUE(std::regex_match(body, events)) << body;

    CollectingHandler handler;
    sse::Parser sse_parser(handler);
    ASSERT_EQ(sse_parser.feed(body), sse::ParseError::none);
    ASSERT_GE(handler.data.size(), 4U);
    for (std::size_t i = 0; i < handler.data.size(); ++i) {
        EXPECT_EQ(handler.types[i], "temperature_sse");
        EXPECT_TRUE(test::is_sample_value(handler.data[i])) << handler.data[i];
    }
}

TEST(SseEmitterTest, HeaderAndFirstEventArriveAtOnceAndEveryClientSeesTheSameValue) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.interval = 60s;  // a tick cannot be what delivers the first event
    test::RunningEmitters running(options);
    const auto first_event = [&] {
        test::Client client(running.sse_port());
        client.send(stream_request);
        const auto started = std::chrono::steady_clock::now();
        const std::string received = client.read_until([](const std::string& r) { return events_in(r) >= 1; }, 3s);
        EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
        EXPECT_EQ(received.rfind(expected_header, 0), 0U) << received;
        EXPECT_EQ(events_in(received), 1U) << received;
        return received;
    };
    const std::string a = first_event();
    const std::string b = first_event();
    EXPECT_EQ(a, b);  // the current value, generated once for every client
    EXPECT_TRUE(running.stop());
}

// Each client reads header and events into an SSE parser; all of them must see three events.
struct StreamReader {
    explicit StreamReader(asio::io_context& io) : stream(io), parser(handler) {}
    beast::tcp_stream stream;
    std::array<char, 2048> chunk{};
    std::string header;
    CollectingHandler handler;
    sse::Parser parser;
    bool counted = false;
};

TEST(SseEmitterTest, TwoHundredConcurrentClientsAllReceiveEvents) {
    constexpr std::size_t clients = 200;
    constexpr std::size_t wanted_events = 3;
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    const asio::ip::tcp::endpoint server(asio::ip::make_address("127.0.0.1"), running.sse_port());

    asio::io_context io;
    std::vector<std::unique_ptr<StreamReader>> readers;
    std::size_t complete = 0;
    std::size_t failed = 0;
    asio::steady_timer deadline(io, 20s);
    deadline.async_wait([&](const beast::error_code& e) {
        if (!e) io.stop();
    });
    std::function<void(StreamReader&)> read_more = [&](StreamReader& reader) {
        reader.stream.async_read_some(asio::buffer(reader.chunk), [&, rp = &reader](const beast::error_code& e,
                                                                                     std::size_t n) {
            StreamReader& r = *rp;
            if (e) {
                ++failed;
                return;
            }
            std::string_view bytes(r.chunk.data(), n);
            if (r.header.find("\r\n\r\n") == std::string::npos) {
                r.header.append(bytes);
                const auto end = r.header.find("\r\n\r\n");
                if (end == std::string::npos) return read_more(r);
                bytes = std::string_view(r.header).substr(end + 4);
                EXPECT_EQ(r.header.substr(0, end + 4), expected_header);
            }
            EXPECT_EQ(r.parser.feed(bytes), sse::ParseError::none);
            if (!r.counted && r.handler.data.size() >= wanted_events) {
                r.counted = true;
                if (++complete == clients) {
                    deadline.cancel();
                    io.stop();
                    return;
                }
            }
            read_more(r);
        });
    };
    for (std::size_t i = 0; i < clients; ++i) {
        readers.push_back(std::make_unique<StreamReader>(io));
        StreamReader* r = readers.back().get();
        r->stream.async_connect(server, [&, r](const beast::error_code& e) {
            if (e) {
                ++failed;
                return;
            }
            asio::async_write(r->stream, asio::buffer(stream_request), [&, r](const beast::error_code& we, std::size_t) {
                if (we) {
                    ++failed;
                    return;
                }
                read_more(*r);
            });
        });
    }
    io.run();
    EXPECT_EQ(failed, 0U);
    EXPECT_EQ(complete, clients);
    EXPECT_EQ(running.call([](ReferenceEmitters& e) { return e.sse_clients(); }), clients);
    for (const auto& r : readers) {
        for (std::size_t i = 0; i < r->handler.data.size(); ++i) {
            EXPECT_EQ(r->handler.types[i], "temperature_sse");
            EXPECT_TRUE(test::is_sample_value(r->handler.data[i]));
        }
    }
    EXPECT_EQ(running.emitters().stats().connections_accepted, clients);
    EXPECT_EQ(running.emitters().stats().events_dropped, 0U);
}

TEST(SseEmitterTest, HeadOptionsAndOtherMethods) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    {
        test::Client client(running.sse_port());
        const auto head = client.request(http::verb::head, "/events");
        EXPECT_EQ(head.result(), http::status::ok);
        EXPECT_EQ(head[http::field::content_type], "text/event-stream");
        EXPECT_EQ(head[http::field::access_control_allow_origin], "*");
        EXPECT_TRUE(client.wait_closed());  // no length: the answer ends with the connection
    }
    test::Client client(running.sse_port());
    const auto options = client.request(http::verb::options, "/events");
    EXPECT_EQ(options.result(), http::status::no_content);
    EXPECT_EQ(options[http::field::access_control_allow_methods], "GET, HEAD, OPTIONS");
    const auto post = client.request(http::verb::post, "/events");
    EXPECT_EQ(post.result(), http::status::method_not_allowed);
    EXPECT_EQ(post[http::field::allow], "GET, HEAD, OPTIONS");
}

TEST(SseEmitterTest, ConfiguredPathServesOnlyThatPath) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.sse.path = "/events";
    test::RunningEmitters running(options);
    {
        test::Client other(running.sse_port());
        EXPECT_EQ(other.request(http::verb::get, "/other").result(), http::status::not_found);
    }
    test::Client client(running.sse_port());
    client.send("GET /events?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_GE(events_in(client.read_until([](const std::string& r) { return events_in(r) >= 1; })), 1U);
}

TEST(SseEmitterTest, ServerNoticesAClientThatLeft) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    {
        test::Client client(running.sse_port());
        client.send(stream_request);
        ASSERT_GE(events_in(client.read_until([](const std::string& r) { return events_in(r) >= 1; })), 1U);
        EXPECT_EQ(running.call([](ReferenceEmitters& e) { return e.sse_clients(); }), 1U);
    }  // the client closes its socket here
    EXPECT_TRUE(running.eventually([](ReferenceEmitters& e) { return e.sse_clients() == 0; }));
}

}  // namespace
}  // namespace evsim::producers
