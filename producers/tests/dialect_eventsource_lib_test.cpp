// The eventsource-lib dialect (reference 001), driven the way the library's own tools drive it:
// eventsource-client listens with GET /poll/TOKEN, eventsource-request POSTs /ACTION/TOKEN. Byte-exact
// frames, every error status, ids across tokens, retry, JSON re-serialisation and keep-alive.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

scenario::ProducerSpec lib_spec(scenario::EventSourceLibSettings settings = {}) {
    auto spec = test::make_spec("lib", scenario::ProducerType::sse);
    spec.dialect = scenario::Dialect::eventsource_lib;
    spec.eventsource_lib = std::move(settings);
    return spec;
}

bool has_head(const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; }

// A listener: eventsource-client's GET /poll/TOKEN on its own connection.
class Listener {
public:
    Listener(std::uint16_t port, const std::string& token) : client_(port) {
        client_.send("GET /poll/" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
        head = client_.read_until(has_head);
        const auto end = head.find("\r\n\r\n");
        consumed_ = end == std::string::npos ? head.size() : end + 4;
        head.resize(consumed_);
    }
    // The stream after the head, once it contains `text` (or what came before the limit).
    std::string read_until_contains(const std::string& text) {
        const auto all = client_.read_until([&](const std::string& r) { return r.find(text, consumed_) != std::string::npos; });
        return all.substr(consumed_);
    }
    bool wait_closed() { return client_.wait_closed(); }

    std::string head;

private:
    test::Client client_;
    std::size_t consumed_ = 0;
};

// eventsource-request: POST /ACTION/TOKEN with `body`; the status.
http::status post(std::uint16_t port, const std::string& action, const std::string& token, const std::string& body) {
    test::Client client(port);
    http::request<http::string_body> request{http::verb::post, "/" + action + "/" + token, 11};
    request.set(http::field::host, "127.0.0.1");
    request.body() = body;
    return client.request(std::move(request)).result();
}

TEST(EventSourceLibTest, PushedBodiesArriveAsNamedEventsInCrlfFrames) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({lib_spec()}), test::set_options(log));
    const auto port = running.port("lib");
    Listener listener(port, "42:42:42:42:42:42");
    EXPECT_EQ(listener.head.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << listener.head;
    EXPECT_NE(listener.head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << listener.head;
    EXPECT_NE(listener.head.find("Cache-Control: no-cache\r\n"), std::string::npos) << listener.head;
    EXPECT_EQ(post(port, "ping", "42:42:42:42:42:42", "42"), http::status::ok);
    EXPECT_EQ(post(port, "ping", "42:42:42:42:42:42", "line one\nline two\r\nthree\rfour"), http::status::ok);
    const auto stream = listener.read_until_contains("four\r\n\r\n");
    EXPECT_EQ(stream,
              "event: ping\r\ndata: 42\r\n\r\n"
              "event: ping\r\ndata: line one\r\ndata: line two\r\ndata: three\r\ndata: four\r\n\r\n");
}

TEST(EventSourceLibTest, OneListenerPerTokenTheSecondGets423) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({lib_spec()}), test::set_options(log));
    const auto port = running.port("lib");
    Listener first(port, "tok");
    ASSERT_EQ(first.head.rfind("HTTP/1.1 200", 0), 0U) << first.head;
    Listener second(port, "tok");
    EXPECT_EQ(second.head.rfind("HTTP/1.1 423", 0), 0U) << second.head;
    Listener other(port, "other");
    EXPECT_EQ(other.head.rfind("HTTP/1.1 200", 0), 0U) << other.head;
}

TEST(EventSourceLibTest, UnknownTokenActionOrRouteIs404AndOtherMethods405) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({lib_spec()}), test::set_options(log));
    const auto port = running.port("lib");
    Listener listener(port, "tok");
    EXPECT_EQ(post(port, "ping", "nobody", "1"), http::status::not_found);
    EXPECT_EQ(post(port, "shout", "tok", "1"), http::status::not_found);
    EXPECT_EQ(post(port, "retry", "tok", "100"), http::status::not_found);  // retry needs id mode
    test::Client client(port);
    EXPECT_EQ(client.request(http::verb::get, "/listen/tok").result(), http::status::not_found);
    EXPECT_EQ(client.request(http::verb::get, "/poll").result(), http::status::not_found);
    EXPECT_EQ(client.request(http::verb::put, "/ping/tok").result(), http::status::method_not_allowed);
}

TEST(EventSourceLibTest, CloseEndsTheStreamAfterWhatWasPushedAndFreesTheToken) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({lib_spec()}), test::set_options(log));
    const auto port = running.port("lib");
    Listener listener(port, "tok");
    EXPECT_EQ(post(port, "ping", "tok", "last"), http::status::ok);
    EXPECT_EQ(post(port, "close", "tok", ""), http::status::ok);
    EXPECT_EQ(listener.read_until_contains("last\r\n\r\n"), "event: ping\r\ndata: last\r\n\r\n");
    EXPECT_TRUE(listener.wait_closed());
    EXPECT_EQ(post(port, "ping", "tok", "after"), http::status::not_found);
    Listener again(port, "tok");
    EXPECT_EQ(again.head.rfind("HTTP/1.1 200", 0), 0U) << again.head;
}

TEST(EventSourceLibTest, ADisconnectedListenerFreesItsToken) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({lib_spec()}), test::set_options(log));
    const auto port = running.port("lib");
    {
        Listener gone(port, "tok");
        ASSERT_EQ(gone.head.rfind("HTTP/1.1 200", 0), 0U) << gone.head;
        ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("lib")->clients() == 1; }));
    }
    // The server notices the closed connection on its next read; the session ends and the token is free.
    ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("lib")->clients() == 0; }));
    Listener again(port, "tok");
    const bool reopened = again.head.rfind("HTTP/1.1 200", 0) == 0;
    EXPECT_TRUE(reopened);
}

TEST(EventSourceLibTest, IdModeNumbersEventsAcrossTokensAndAllowsRetry) {
    test::LogCapture log;
    scenario::EventSourceLibSettings settings;
    settings.ids = true;
    test::RunningSet running(test::make_scenario({lib_spec(settings)}), test::set_options(log));
    const auto port = running.port("lib");
    Listener a(port, "a");
    Listener b(port, "b");
    EXPECT_EQ(post(port, "ping", "a", "1"), http::status::ok);
    EXPECT_EQ(post(port, "ping", "b", "2"), http::status::ok);
    EXPECT_EQ(post(port, "ping", "a", "3"), http::status::ok);
    EXPECT_EQ(post(port, "retry", "a", "5000"), http::status::ok);
    EXPECT_EQ(post(port, "retry", "a", "soon"), http::status::bad_request);
    EXPECT_EQ(a.read_until_contains("retry: 5000\r\n\r\n"),
              "id: 1\r\nevent: ping\r\ndata: 1\r\n\r\nid: 3\r\nevent: ping\r\ndata: 3\r\n\r\nretry: 5000\r\n\r\n");
    EXPECT_EQ(b.read_until_contains("data: 2\r\n\r\n"), "id: 2\r\nevent: ping\r\ndata: 2\r\n\r\n");
}

TEST(EventSourceLibTest, JsonModeReserialisesLikePythonAndRefusesNonJson) {
    test::LogCapture log;
    scenario::EventSourceLibSettings settings;
    settings.json = true;
    settings.actions = {"ping", "update"};
    test::RunningSet running(test::make_scenario({lib_spec(settings)}), test::set_options(log));
    const auto port = running.port("lib");
    Listener listener(port, "tok");
    EXPECT_EQ(post(port, "update", "tok", R"({"b":[1,2.50,"\u00e9\n"],"a":1e20,"c":{}})"), http::status::ok);
    EXPECT_EQ(post(port, "ping", "tok", "{not json"), http::status::bad_request);
    EXPECT_EQ(post(port, "ping", "tok", "multi\nline"), http::status::bad_request);
    EXPECT_EQ(listener.read_until_contains("\r\n\r\n"),
              "event: update\r\ndata: {\"b\": [1, 2.5, \"\\u00e9\\n\"], \"a\": 1e+20, \"c\": {}}\r\n\r\n");
}

TEST(EventSourceLibTest, KeepaliveCommentsCarryTheUnixTime) {
    test::LogCapture log;
    scenario::EventSourceLibSettings settings;
    settings.keepalive = std::chrono::milliseconds(50);
    test::RunningSet running(test::make_scenario({lib_spec(settings)}), test::set_options(log));
    Listener listener(running.port("lib"), "tok");
    const auto stream = listener.read_until_contains("\r\n");
    ASSERT_EQ(stream.rfind(": keepalive ", 0), 0U) << stream;
    const auto seconds = std::stoll(stream.substr(12));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    EXPECT_NEAR(static_cast<double>(seconds), static_cast<double>(now.count()), 5.0);
}

TEST(EventSourceLibTest, ControlApiPublishReachesEveryListener) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({lib_spec()}), test::set_options(log));
    const auto port = running.port("lib");
    Listener a(port, "a");
    Listener b(port, "b");
    ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("lib")->clients() == 2; }));
    running.publish("lib", "", "hello");
    EXPECT_EQ(a.read_until_contains("\r\n\r\n"), "event: ping\r\ndata: hello\r\n\r\n");
    EXPECT_EQ(b.read_until_contains("\r\n\r\n"), "event: ping\r\ndata: hello\r\n\r\n");
}

}  // namespace
}  // namespace evsim::producers
