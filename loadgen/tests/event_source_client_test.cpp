// EventSourceClient against the scripted server on loopback: the processing model of WHATWG HTML
// 9.2.3, driven over real sockets.
#include <gtest/gtest.h>

#include "client_test_support.hpp"
#include "evsim/conformance/scripted_server.hpp"
#include "evsim/net/url.hpp"

namespace evsim::loadgen::testing {
namespace {

using conformance::BodyPiece;
using conformance::Ending;
using conformance::event_stream_head;
using conformance::make_head;
using conformance::ScriptedResponse;
using conformance::ScriptedServer;

EventSourceOptions options_for(const std::string& url) {
    EventSourceOptions options;
    options.url = url;
    options.reconnection_time = 10ms;
    options.connect_timeout = 5s;
    return options;
}

ScriptedResponse stream(std::vector<BodyPiece> body, Ending ending = Ending::close) {
    return {event_stream_head(), std::move(body), ending};
}

TEST(EventSourceClient, ReconnectsAfterEndWithLastEventIdAndRetryDelay) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {stream({{0ms, "retry: 150\nid: 1\ndata: a\n\n"}}),
                                    stream({{0ms, "data: b\n\n"}}, Ending::hang)});
    EventSourceClient client(io.io().get_executor(), options_for(server.url("/events")), observer);
    client.start();

    ASSERT_TRUE(observer.wait_for_count(5));
    EXPECT_EQ(observer.seen(), (std::vector<std::string>{"open", "message message a 1", "error 0 stream_ended 0",
                                                         "open", "message message b 1"}));
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_EQ(requests[0].target, "/events");
    EXPECT_EQ(requests[0].header("Accept"), "text/event-stream");
    EXPECT_EQ(requests[0].header("Cache-Control"), "no-cache");
    EXPECT_EQ(requests[0].header("Last-Event-ID"), std::nullopt);
    EXPECT_EQ(requests[1].header("Last-Event-ID"), "1");
    // The stream's retry (150 ms) replaced the client's 10 ms default.
    EXPECT_GE(requests[1].received_at - requests[0].received_at, 150ms);
}

TEST(EventSourceClient, ReconnectsAfterResetAndAfterRefusedHead) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {stream({{0ms, "id: 7\ndata: a\n\n"}}, Ending::reset),
                                    ScriptedResponse{"", {}, Ending::reset},  // dies before any response
                                    stream({{0ms, "data: b\n\n"}}, Ending::hang)});
    EventSourceClient client(io.io().get_executor(), options_for(server.url()), observer);
    client.start();

    ASSERT_TRUE(observer.wait_for_count(6));
    const auto seen = observer.seen();
    EXPECT_EQ(seen[0], "open");
    EXPECT_EQ(seen[1], "message message a 7");
    EXPECT_TRUE(seen[2] == "error 0 network 0" || seen[2] == "error 0 stream_ended 0") << seen[2];
    EXPECT_EQ(seen[3], "error 0 network 0");
    EXPECT_EQ(seen[4], "open");
    EXPECT_EQ(seen[5], "message message b 7");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 3U);
    EXPECT_EQ(requests[1].header("Last-Event-ID"), "7");
    EXPECT_EQ(requests[2].header("Last-Event-ID"), "7");
}

struct FailureCase {
    std::string name;
    std::string head;
    std::string expected_error;
};

class FailsWithoutReconnect : public ::testing::TestWithParam<FailureCase> {};

TEST_P(FailsWithoutReconnect, OneErrorEventInClosedState) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {ScriptedResponse{GetParam().head, {{0ms, "data: never\n\n"}}, Ending::close}});
    EventSourceClient client(io.io().get_executor(), options_for(server.url()), observer);
    client.start();

    ASSERT_TRUE(observer.wait_for_count(1));
    EXPECT_EQ(observer.seen(), (std::vector<std::string>{GetParam().expected_error}));
    // No reconnect follows a failed connection: a second request must not come, even well past the
    // 10 ms reconnection time.
    EXPECT_FALSE(server.wait_for_requests(2, 300ms));
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, FailsWithoutReconnect,
    ::testing::Values(
        FailureCase{"no_content_204", make_head(204, {}), "error 2 status 204"},
        FailureCase{"server_error_500", make_head(500, {{"Content-Type", "text/event-stream"}}), "error 2 status 500"},
        FailureCase{"not_found_404", make_head(404, {{"Content-Type", "text/event-stream"}}), "error 2 status 404"},
        FailureCase{"wrong_content_type", make_head(200, {{"Content-Type", "text/plain"}}), "error 2 content_type 200"},
        FailureCase{"missing_content_type", make_head(200, {}), "error 2 content_type 200"},
        FailureCase{"redirect_without_valid_location", make_head(302, {{"Location", "ftp://x/y"}}),
                    "error 2 redirect 302"}),
    [](const ::testing::TestParamInfo<FailureCase>& param_info) { return param_info.param.name; });

TEST(EventSourceClient, AcceptsContentTypeWithParameters) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {ScriptedResponse{make_head(200, {{"Content-Type", "Text/Event-Stream; charset=utf-8"}}),
                                                     {{0ms, "data: x\n\n"}}, Ending::hang}});
    EventSourceClient client(io.io().get_executor(), options_for(server.url()), observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(2));
    EXPECT_EQ(observer.seen(), (std::vector<std::string>{"open", "message message x "}));
}

TEST(EventSourceClient, FollowsRedirectsButReconnectsToTheOriginalUrl) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {ScriptedResponse{make_head(307, {{"Location", "/moved?x=1"}}), {}, Ending::close},
                                    stream({{0ms, "data: a\n\n"}}),
                                    ScriptedResponse{make_head(301, {{"Location", "/moved?x=1"}}), {}, Ending::close},
                                    stream({{0ms, "data: b\n\n"}}, Ending::hang)});
    EventSourceClient client(io.io().get_executor(), options_for(server.url("/start")), observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(5));
    EXPECT_EQ(observer.seen(), (std::vector<std::string>{"open", "message message a ", "error 0 stream_ended 0",
                                                         "open", "message message b "}));
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 4U);
    EXPECT_EQ(requests[0].target, "/start");
    EXPECT_EQ(requests[1].target, "/moved?x=1");
    EXPECT_EQ(requests[2].target, "/start");
    EXPECT_EQ(requests[3].target, "/moved?x=1");
}

TEST(EventSourceClient, GivesUpAfterTooManyRedirects) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {ScriptedResponse{make_head(302, {{"Location", "/again"}}), {}, Ending::close}});
    EventSourceOptions options = options_for(server.url());
    options.max_redirects = 3;
    EventSourceClient client(io.io().get_executor(), options, observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(1));
    EXPECT_EQ(observer.seen(), (std::vector<std::string>{"error 2 redirect 0"}));
    EXPECT_EQ(server.requests().size(), 4U);
}

TEST(EventSourceClient, ParsesEventsSplitAcrossWritesAndChunkedEncoding) {
    RecordingObserver observer;
    IoThread io;
    // Chunked transfer coding, with the chunk boundaries (and the writes) cutting through a CRLF
    // pair and a multi-byte character.
    const std::string head = make_head(200, {{"Content-Type", "text/event-stream"}, {"Transfer-Encoding", "chunked"}});
    ScriptedServer server(io.io(), {ScriptedResponse{head,
                                                     {{0ms, "a\r\ndata: caf\xC3\r\n"},
                                                      {5ms, "b\r\n\xA9\r\ndata: 2\r\r\n"},
                                                      {5ms, "3\r\n\n\r\n\r\n0\r\n\r\n"}},
                                                     Ending::hang}});
    EventSourceClient client(io.io().get_executor(), options_for(server.url()), observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(3));
    const auto seen = observer.seen();
    EXPECT_EQ(seen[0], "open");
    EXPECT_EQ(seen[1], "message message caf\xC3\xA9\n2 ");
    // The final zero-length chunk ends the body: the client reconnects.
    EXPECT_EQ(seen[2], "error 0 stream_ended 0");
}

TEST(EventSourceClient, SendsSeededLastEventIdAndCustomHeaders) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {stream({{0ms, "data: x\n\n"}}, Ending::hang)});
    EventSourceOptions options = options_for(server.url());
    options.last_event_id = "seed-9";
    options.headers = {{"Authorization", "Bearer abc"}, {"X-Test", "1"}};
    EventSourceClient client(io.io().get_executor(), options, observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(2));
    EXPECT_EQ(observer.seen()[1], "message message x seed-9");
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].header("Last-Event-ID"), "seed-9");
    EXPECT_EQ(requests[0].header("Authorization"), "Bearer abc");
    EXPECT_EQ(requests[0].header("X-Test"), "1");
}

TEST(EventSourceClient, LineOverTheLimitFailsTheConnection) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {stream({{0ms, "data: " + std::string(200, 'x') + "\n\n"}}, Ending::hang)});
    EventSourceOptions options = options_for(server.url());
    options.limits.max_line_bytes = 64;
    EventSourceClient client(io.io().get_executor(), options, observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(2));
    EXPECT_EQ(observer.seen(), (std::vector<std::string>{"open", "error 2 parse_limit 200"}));
}

TEST(EventSourceClient, CloseStopsReconnecting) {
    RecordingObserver observer;
    IoThread io;
    ScriptedServer server(io.io(), {stream({{0ms, "data: a\n\n"}})});
    EventSourceOptions options = options_for(server.url());
    options.reconnection_time = 200ms;
    EventSourceClient client(io.io().get_executor(), options, observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(3));  // open, message, error (connecting)
    client.close();
    EXPECT_FALSE(server.wait_for_requests(2, 500ms));
    EXPECT_EQ(observer.seen().size(), 3U);
}

TEST(EventSourceClient, HugeRetryMeansPracticallyNeverNotAnOverflow) {
    RecordingObserver observer;
    IoThread io;
    // 10^17 ms does not fit the timer's nanosecond clock: the client must wait, not wrap to zero.
    ScriptedServer server(io.io(), {stream({{0ms, "retry: 100000000000000000\ndata: a\n\n"}})});
    EventSourceClient client(io.io().get_executor(), options_for(server.url()), observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(3));  // open, message, error (connecting)
    EXPECT_FALSE(server.wait_for_requests(2, 300ms));
    client.close();
}

TEST(EventSourceClient, ConnectionRefusedReconnects) {
    RecordingObserver observer;
    IoThread io;
    std::string url;
    {
        ScriptedServer closed_server(io.io(), {});
        url = closed_server.url();
        closed_server.stop();
    }
    EventSourceClient client(io.io().get_executor(), options_for(url), observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(2));
    EXPECT_EQ(observer.seen()[0], "error 0 network 0");
    EXPECT_EQ(observer.seen()[1], "error 0 network 0");
}

TEST(EventSourceClient, RejectsUrlsItCannotFetch) {
    RecordingObserver observer;
    IoThread io;
    EXPECT_THROW(EventSourceClient(io.io().get_executor(), options_for("ws://127.0.0.1:1/"), observer), net::UrlError);
    EXPECT_THROW(EventSourceClient(io.io().get_executor(), options_for("nonsense"), observer), net::UrlError);
}

}  // namespace
}  // namespace evsim::loadgen::testing
