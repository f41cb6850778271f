// The wakanda-push dialect (reference 004): the connection-ready comment, named-event filters,
// pushes to sessions, users and groups, Last-Event-ID replay that respects both, pause with retry
// and a forced reconnect, and the control API routes that drive them.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

#include "evsim/producers/control_routes.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

scenario::ProducerSpec push_spec() {
    auto spec = test::make_spec("push", scenario::ProducerType::sse);
    spec.dialect = scenario::Dialect::wakanda_push;
    spec.paths = {"/eventsource"};
    spec.push.generate = false;  // only what the tests push
    return spec;
}

// A browser's EventSource: GET with the headers a page would send.
class Subscriber : public test::StreamListener {
public:
    Subscriber(std::uint16_t port, const std::string& target, const std::string& headers = "")
        : StreamListener(port, target, "Origin: http://shop.example\r\n" + headers) {}
};

void push_to(test::RunningSet& running, const std::string& name, const std::string& data, PushTarget target) {
    running.call([&](ProducerSet& set) {
        set.find("push")->publish_to(name, data, measurement::DataForm::text, target);
        return 0;
    });
}

bool clients_are(test::RunningSet& running, std::size_t n) {
    return running.eventually([n](ProducerSet& set) { return set.find("push")->clients() == n; });
}

TEST(WakandaPushTest, StreamsOpenWithConnectionReadyAndCarryMessagesAndNamedEvents) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({push_spec()}), test::set_options(log));
    Subscriber all(running.port("push"), "/eventsource");
    ASSERT_EQ(all.head.rfind("HTTP/1.1 200", 0), 0U) << all.head;
    EXPECT_NE(all.head.find("Content-Type: text/event-stream\r\n"), std::string::npos);
    EXPECT_NE(all.head.find("Access-Control-Allow-Origin: *\r\n"), std::string::npos) << all.head;
    ASSERT_TRUE(clients_are(running, 1));
    running.publish("push", "", "a message from the server");
    running.publish("push", "itempurchased", "5 \"DVD\" items have been purchased");
    EXPECT_EQ(all.body_until("purchased\n\n"),
              ": connection ready\n\n"
              "id: 1\ndata: a message from the server\n\n"
              "id: 2\nevent: itempurchased\ndata: 5 \"DVD\" items have been purchased\n\n");
}

TEST(WakandaPushTest, AnyLineBreakInTheDataStartsANewDataLine) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({push_spec()}), test::set_options(log));
    Subscriber client(running.port("push"), "/eventsource");
    ASSERT_TRUE(clients_are(running, 1));
    running.publish("push", "", "a\rb\r\nc\nd");
    EXPECT_EQ(client.body_until("data: d\n\n"), ": connection ready\n\nid: 1\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
}

TEST(WakandaPushTest, AnEventListGetsOnlyThoseNamedEvents) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({push_spec()}), test::set_options(log));
    Subscriber some(running.port("push"), "/eventsource/itempurchased,ordercancelled");
    ASSERT_EQ(some.head.rfind("HTTP/1.1 200", 0), 0U) << some.head;
    ASSERT_TRUE(clients_are(running, 1));
    running.publish("push", "", "plain");
    running.publish("push", "pricechanged", "p");
    running.publish("push", "ordercancelled", "o");
    running.publish("push", "itempurchased", "i");
    EXPECT_EQ(some.body_until("data: i\n\n"),
              ": connection ready\n\nid: 3\nevent: ordercancelled\ndata: o\n\nid: 4\nevent: itempurchased\ndata: i\n\n");
}

TEST(WakandaPushTest, PushesReachTheirSessionUserOrGroupOnly) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({push_spec()}), test::set_options(log));
    const auto port = running.port("push");
    Subscriber session(port, "/eventsource", "Cookie: theme=dark; WASID=s-1\r\n");
    Subscriber user(port, "/eventsource", "X-User: ada\r\n");
    Subscriber group(port, "/eventsource", "X-Groups: Sales, Marketing\r\n");
    ASSERT_TRUE(clients_are(running, 3));
    push_to(running, "note", "to the session", PushTarget{{"s-1"}, {}, {}});
    push_to(running, "note", "to ada", PushTarget{{}, {"ada"}, {}});
    push_to(running, "note", "to two groups", PushTarget{{}, {}, {"Marketing", "Engineering"}});
    running.publish("push", "note", "to everyone");
    const auto tail = "data: to everyone\n\n";
    EXPECT_EQ(session.body_until(tail), ": connection ready\n\nid: 1\nevent: note\ndata: to the session\n\nid: 4\nevent: note\n" + std::string(tail));
    EXPECT_EQ(user.body_until(tail), ": connection ready\n\nid: 2\nevent: note\ndata: to ada\n\nid: 4\nevent: note\n" + std::string(tail));
    EXPECT_EQ(group.body_until(tail), ": connection ready\n\nid: 3\nevent: note\ndata: to two groups\n\nid: 4\nevent: note\n" + std::string(tail));
}

TEST(WakandaPushTest, LastEventIdReplaysWhatTheClientMayHaveSeen) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({push_spec()}), test::set_options(log));
    const auto port = running.port("push");
    {
        Subscriber first(port, "/eventsource/news", "X-User: ada\r\n");
        ASSERT_TRUE(clients_are(running, 1));
        running.publish("push", "news", "one");
        EXPECT_NE(first.body_until("data: one\n\n").find("id: 1\n"), std::string::npos);
    }
    ASSERT_TRUE(clients_are(running, 0));
    running.publish("push", "news", "two");                     // missed
    running.publish("push", "other", "not asked for");          // filtered out on replay too
    push_to(running, "news", "for bob", PushTarget{{}, {"bob"}, {}});  // not ada's
    push_to(running, "news", "for ada", PushTarget{{}, {"ada"}, {}});  // ada's
    Subscriber back(port, "/eventsource/news", "X-User: ada\r\nLast-Event-ID: 1\r\n");
    ASSERT_TRUE(clients_are(running, 1));
    running.publish("push", "news", "three");
    EXPECT_EQ(back.body_until("data: three\n\n"),
              ": connection ready\n\nid: 2\nevent: news\ndata: two\n\nid: 5\nevent: news\ndata: for ada\n\n"
              "id: 6\nevent: news\ndata: three\n\n");
}

TEST(WakandaPushTest, PauseSendsRetryThenEndsTheStreamsAfterTheHold) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({push_spec()}), test::set_options(log));
    Subscriber client(running.port("push"), "/eventsource");
    ASSERT_TRUE(clients_are(running, 1));
    running.call([](ProducerSet& set) {
        set.find("push")->pause(30s, 100ms);
        return 0;
    });
    EXPECT_EQ(client.body_until("retry: 30000\n\n"), ": connection ready\n\nretry: 30000\n\n");
    EXPECT_TRUE(client.wait_closed());
}

TEST(WakandaPushTest, ControlApiTargetsAndPausesAndExplainsMistakes) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({push_spec()}), test::set_options(log));
    Subscriber client(running.port("push"), "/eventsource", "X-Groups: Marketing\r\n");
    ASSERT_TRUE(clients_are(running, 1));
    const auto control = [&](const std::string& target, const std::string& body) {
        Request request{http::verb::post, target, 11};
        request.body() = body;
        request.prepare_payload();
        return running.call([&](ProducerSet& set) {
            return handle_control_request(set, std::chrono::steady_clock::now(), request);
        });
    };
    EXPECT_EQ(control("/producers/push/publish", R"({"event":"itempurchased","data":{"nb":5,"type":"DVD"},"to":{"groups":"Marketing"}})")
                  .result(),
              http::status::accepted);
    EXPECT_EQ(control("/producers/push/publish", R"({"data":"x","to":{"teams":["a"]}})").body(),
              "{\"error\":\"unknown field 'to.teams' (expected sessions, users and groups)\"}\n");
    EXPECT_EQ(control("/producers/push/publish", R"({"data":"x","to":{}})").result(), http::status::bad_request);
    EXPECT_EQ(control("/producers/push/publish", R"({"event":"a\ndata: forged","data":"x"})").body(),
              "{\"error\":\"\\\"event\\\" must not contain CR, LF or NUL\"}\n");
    EXPECT_EQ(control("/producers/push/pause", R"({"hold":"1s"})").body(), "{\"error\":\"missing field \\\"delay\\\"\"}\n");
    EXPECT_EQ(control("/producers/push/pause", R"({"delay":"soon"})").result(), http::status::bad_request);
    EXPECT_EQ(control("/producers/push/pause", R"({"delay":"5s"})").result(), http::status::accepted);
    EXPECT_EQ(client.body_until("retry: 5000\n\n"),
              ": connection ready\n\nid: 1\nevent: itempurchased\ndata: {\"nb\":5,\"type\":\"DVD\"}\n\nretry: 5000\n\n");
}

TEST(WakandaPushTest, OtherProducersRefuseTargetsAndPause) {
    test::LogCapture log;
    auto sse = test::make_spec("plain", scenario::ProducerType::sse);
    test::RunningSet running(test::make_scenario({sse}), test::set_options(log));
    Request request{http::verb::post, "/producers/plain/pause", 11};
    request.body() = R"({"delay":"5s"})";
    request.prepare_payload();
    const auto response = running.call([&](ProducerSet& set) {
        return handle_control_request(set, std::chrono::steady_clock::now(), request);
    });
    EXPECT_EQ(response.result(), http::status::bad_request);
    EXPECT_EQ(response.body(), "{\"error\":\"producer 'plain' cannot pause its clients\"}\n");
}

}  // namespace
}  // namespace evsim::producers
