// The ctrlx-datalayer dialect (reference 003) driven as the controller's clients drive it: a token
// from the identity manager, a subscription by POST, its event stream with update, keepalive and
// error events; every status the document names (401 without a valid token, 400 for malformed
// bodies, 404 for a deleted subscription) and TLS by default.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <regex>

#include "evsim/net/http_exchange.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using scenario::DatalayerType;

constexpr const char* kEvents = "/automation/api/v2/events";

scenario::ProducerSpec plc_spec(std::chrono::milliseconds inactive_timeout = 60s) {
    auto spec = test::make_spec("plc", scenario::ProducerType::sse);
    spec.dialect = scenario::Dialect::ctrlx_datalayer;
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};  // values change only when a test says
    spec.datalayer.nodes = {{"line/speed", DatalayerType::float64, payload::Constant{"1.5"}},
                            {"line/count", DatalayerType::int32, payload::Counter{7, 1}}};
    spec.datalayer.inactive_timeout = inactive_timeout;
    return spec;
}

using Response = http::response<http::string_body>;

Response call(std::uint16_t port, http::verb method, const std::string& target, const std::string& token = "",
              const std::string& body = "") {
    test::Client client(port);
    auto request = test::make_request(method, target);
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = body;
    }
    return client.request(std::move(request));
}

std::string login(std::uint16_t port) {
    const auto response = call(port, http::verb::post, "/identity-manager/api/v2/auth/token", "",
                                R"({"name":"boschrexroth","password":"boschrexroth"})");
    EXPECT_EQ(response.result_int(), 201U) << response.body();
    return std::string(boost::json::parse(response.body()).at("access_token").as_string());
}

std::string subscription_body(const std::string& id, const std::string& nodes, const std::string& properties = "") {
    return R"({"properties":{"id":")" + id + "\"" + properties + R"(},"nodes":[)" + nodes + "]}";
}

// An SSE client as the controller's Go client is: GET with Accept and the bearer token.
class Listener : public test::StreamListener {
public:
    Listener(std::uint16_t port, const std::string& target, const std::string& token)
        : StreamListener(port, target,
                         "Accept: text/event-stream\r\n" +
                             (token.empty() ? std::string() : "Authorization: Bearer " + token + "\r\n")) {}
};

void expect_problem(const Response& response, unsigned status, const std::string& detail_part) {
    EXPECT_EQ(response.result_int(), status) << response.body();
    EXPECT_EQ(response[http::field::content_type], "application/problem+json");
    const auto problem = boost::json::parse(response.body()).as_object();
    EXPECT_EQ(problem.at("status").as_int64(), status);
    EXPECT_EQ(problem.at("severity").as_string(), "ERROR");
    EXPECT_TRUE(problem.contains("title") && problem.contains("type") && problem.contains("instance"));
    EXPECT_NE(std::string(problem.at("detail").as_string()).find(detail_part), std::string::npos) << response.body();
}

class CtrlxDatalayerTest : public ::testing::Test {
protected:
    void start(scenario::ProducerSpec spec) {
        running_.emplace(test::make_scenario({std::move(spec)}), test::set_options(log_));
        port_ = running_->port("plc");
    }
    test::LogCapture log_;
    std::optional<test::RunningSet> running_;
    std::uint16_t port_ = 0;
};

TEST_F(CtrlxDatalayerTest, TokensComeFromTheIdentityManagerAndEveryDataLayerCallNeedsOne) {
    start(plc_spec());
    const auto issued = call(port_, http::verb::post, "/identity-manager/api/v2/auth/token", "",
                             R"({"name":"boschrexroth","password":"boschrexroth"})");
    ASSERT_EQ(issued.result_int(), 201U);
    const auto answer = boost::json::parse(issued.body()).as_object();
    EXPECT_EQ(answer.at("token_type").as_string(), "Bearer");
    const std::string token(answer.at("access_token").as_string());

    expect_problem(call(port_, http::verb::post, "/identity-manager/api/v2/auth/token", "",
                        R"({"name":"boschrexroth","password":"wrong"})"),
                   401, "wrong user name or password");
    expect_problem(call(port_, http::verb::post, "/identity-manager/api/v2/auth/token", "", "name=boschrexroth"), 400,
                   "expected a JSON body");

    // Without a token, with a wrong one, with another scheme: 401 with a Bearer challenge.
    for (const std::string& bad : {std::string(""), token + "x"}) {
        const auto refused = call(port_, http::verb::post, kEvents, bad, subscription_body("s", "\"line/speed\""));
        expect_problem(refused, 401, "Authorization: Bearer");
        EXPECT_EQ(refused[http::field::www_authenticate], "Bearer");
        expect_problem(call(port_, http::verb::get, std::string(kEvents) + "/s", bad), 401, "Bearer");
        expect_problem(call(port_, http::verb::get, "/automation/api/v2/nodes/line/speed", bad), 401, "Bearer");
    }
    Listener refused(port_, std::string(kEvents) + "?nodes=line/speed", "");
    EXPECT_EQ(refused.head.rfind("HTTP/1.1 401", 0), 0U) << refused.head;

    EXPECT_EQ(call(port_, http::verb::get, "/identity-manager/api/v2/auth/token/validity", token).body(),
              R"({"valid":true})");
    EXPECT_EQ(call(port_, http::verb::get, "/identity-manager/api/v2/auth/token/validity", "nope").body(),
              R"({"valid":false})");
    // Closing the session ends the token.
    EXPECT_EQ(call(port_, http::verb::delete_, "/identity-manager/api/v2/auth/token", token).result_int(), 204U);
    expect_problem(call(port_, http::verb::get, "/automation/api/v2/nodes/line/speed", token), 401, "Bearer");
    expect_problem(call(port_, http::verb::get, "/somewhere/else", token), 404, "no such route");
}

TEST_F(CtrlxDatalayerTest, ASubscriptionStreamsUpdatesKeepalivesAndErrorsForMissingNodes) {
    start(plc_spec());
    const auto token = login(port_);
    const auto created = call(port_, http::verb::post, kEvents, token,
                              subscription_body("telegraf_1", R"("line/speed","line/missing","line/count")",
                                                R"(,"publishInterval":50,"keepaliveInterval":400,"errorInterval":60000)"));
    ASSERT_EQ(created.result_int(), 201U) << created.body();
    EXPECT_EQ(created[http::field::location], std::string(kEvents) + "/telegraf_1");

    Listener stream(port_, std::string(kEvents) + "/telegraf_1", token);
    ASSERT_EQ(stream.head.rfind("HTTP/1.1 200", 0), 0U) << stream.head;
    EXPECT_NE(stream.head.find("Content-Type: text/event-stream\r\n"), std::string::npos);
    // First every existing node's value, then an error event for the one that does not exist.
    const std::string first = stream.body_until("event: error");
    const std::regex opening(
        R"(^event: update\nid: 1\ndata: \{"node":"line/speed","timestamp":1[0-9]{17},"type":"double","value":1\.5\}\n\n)"
        R"(event: update\nid: 2\ndata: \{"node":"line/count","timestamp":1[0-9]{17},"type":"int32","value":7\}\n\n)"
        R"(event: error\nid: 3\ndata: )");
    EXPECT_TRUE(std::regex_search(first, opening)) << first;
    const std::string opened = stream.body_until("\"severity\":\"ERROR\"}\n\n");
    EXPECT_NE(opened.find(R"("title":"Not Found","status":404,"detail":"node 'line/missing' does not exist",)"
                          R"("instance":"line/missing","severity":"ERROR"})"),
              std::string::npos)
        << opened;

    // Nothing changes: a keepalive event after the keep-alive interval.
    const std::string quiet = stream.body_until("event: keepalive");
    EXPECT_TRUE(std::regex_search(quiet, std::regex(R"(event: keepalive\nid: 4\ndata: \{"timestamp":1[0-9]{17}\}\n\n)")))
        << quiet;
    // A value pushed through the control API reaches the stream at the next publish.
    running_->publish("plc", "line/count", "41.6");
    const std::string changed = stream.body_until("\"value\":42}\n\n");
    EXPECT_NE(changed.find("event: update\nid: 5\ndata: {\"node\":\"line/count\""), std::string::npos) << changed;
    EXPECT_EQ(changed.find("\"node\":\"line/speed\"", changed.find("id: 5")), std::string::npos)  // unchanged: not sent
        << changed;
}

TEST_F(CtrlxDatalayerTest, MalformedOrConflictingSubscriptionsAreRefused) {
    start(plc_spec());
    const auto token = login(port_);
    expect_problem(call(port_, http::verb::post, kEvents, token, "{\"properties\":"), 400, "not JSON");
    expect_problem(call(port_, http::verb::post, kEvents, token, R"({"properties":{"id":"a"}})"), 400, "nodes");
    ASSERT_EQ(call(port_, http::verb::post, kEvents, token, subscription_body("a", "")).result_int(), 201U);
    expect_problem(call(port_, http::verb::post, kEvents, token, subscription_body("a", "")), 409, "exists already");
    expect_problem(call(port_, http::verb::put, std::string(kEvents) + "/a", token), 405, "GET, DELETE");
    expect_problem(call(port_, http::verb::get, std::string(kEvents) + "/b", token), 404, "no subscription 'b'");
    expect_problem(call(port_, http::verb::get, std::string(kEvents) + "?publishIntervalMs=5", token), 400, "nodes");
}

TEST_F(CtrlxDatalayerTest, TheControlApiPublishesOnlyToNodesAndOnlyValuesOfTheirType) {
    start(plc_spec());
    const auto publish = [&](const std::string& node, const std::string& data) {
        return running_->call([&](ProducerSet& set) -> std::string {
            try {
                set.find("plc")->publish(node, data, measurement::DataForm::text);
                return "ok";
            } catch (const std::invalid_argument& e) {
                return e.what();
            }
        });
    };
    EXPECT_EQ(publish("line/speed", "3.25"), "ok");
    EXPECT_NE(publish("line/nothing", "1").find("not one of this producer's nodes"), std::string::npos);
    EXPECT_NE(publish("line/count", "fast").find("'data' must be a number"), std::string::npos);
    const auto token = login(port_);
    EXPECT_EQ(call(port_, http::verb::get, "/automation/api/v2/nodes/line/speed", token).body(),
              R"({"type":"double","value":3.25})");
    EXPECT_EQ(call(port_, http::verb::get, "/automation/api/v2/nodes/line%2Fcount", token).body(),
              R"({"type":"int32","value":7})");
    expect_problem(call(port_, http::verb::get, "/automation/api/v2/nodes/line/nothing", token), 404, "does not exist");
}

TEST_F(CtrlxDatalayerTest, ASubscriptionNobodyListensToIsDeletedAndItsStreamUrlAnswers404) {
    start(plc_spec(300ms));
    const auto token = login(port_);
    const std::string url = std::string(kEvents) + "/idle";
    ASSERT_EQ(call(port_, http::verb::post, kEvents, token, subscription_body("idle", "\"line/speed\"", R"(,"publishInterval":20)"))
                  .result_int(),
              201U);
    {
        // Listened to for longer than the timeout: it stays.
        Listener listener(port_, url, token);
        ASSERT_EQ(listener.head.rfind("HTTP/1.1 200", 0), 0U);
        listener.body_until("event: update");
        EXPECT_FALSE(log_.wait_for("subscription 'idle' deleted", 600ms));
    }
    // The listener left: deleted once the timeout passes without one.
    EXPECT_TRUE(log_.wait_for("subscription 'idle' deleted: no listener for 300 ms"));
    expect_problem(call(port_, http::verb::get, url, token), 404, "no subscription 'idle'");
}

TEST_F(CtrlxDatalayerTest, DeletingASubscriptionEndsItsStreams) {
    start(plc_spec());
    const auto token = login(port_);
    ASSERT_EQ(call(port_, http::verb::post, kEvents, token, subscription_body("gone", "\"line/speed\"")).result_int(), 201U);
    Listener listener(port_, std::string(kEvents) + "/gone", token);
    listener.body_until("event: update");
    EXPECT_EQ(call(port_, http::verb::delete_, std::string(kEvents) + "/gone", token).result_int(), 204U);
    EXPECT_TRUE(listener.wait_closed());
    expect_problem(call(port_, http::verb::get, std::string(kEvents) + "/gone", token), 404, "no subscription");
}

TEST_F(CtrlxDatalayerTest, TheQueryFormOpensAStreamWithItsOwnSubscription) {
    start(plc_spec());
    const auto token = login(port_);
    Listener listener(port_, std::string(kEvents) + "?nodes=line/count,line/speed&publishIntervalMs=20", token);
    ASSERT_EQ(listener.head.rfind("HTTP/1.1 200", 0), 0U) << listener.head;
    const auto body = listener.body_until("\"node\":\"line/speed\"");
    EXPECT_NE(body.find("event: update\nid: 1\ndata: {\"node\":\"line/count\""), std::string::npos) << body;
}

TEST_F(CtrlxDatalayerTest, ABrowserMayCallTheRestRoutesCrossOriginWithABearerToken) {
    auto spec = plc_spec();
    scenario::apply_dialect_defaults(spec);  // the dialect's CORS default
    spec.tls = false;
    start(spec);
    test::Client client(port_);
    auto preflight = test::make_request(http::verb::options, kEvents);
    preflight.set(http::field::origin, "http://dashboard.example");
    preflight.set(http::field::access_control_request_method, "POST");
    preflight.set(http::field::access_control_request_headers, "authorization,content-type");
    const auto answer = client.request(std::move(preflight));
    EXPECT_LT(answer.result_int(), 300U) << answer;
    EXPECT_NE(std::string(answer[http::field::access_control_allow_headers]).find("Authorization"), std::string::npos)
        << answer;
    EXPECT_NE(std::string(answer[http::field::access_control_allow_methods]).find("POST"), std::string::npos) << answer;
}

TEST(CtrlxDatalayerTlsTest, ServesHttpsByDefaultWithASelfSignedCertificate) {
    scenario::ProducerSpec spec = plc_spec();
    scenario::apply_dialect_defaults(spec);
    ASSERT_TRUE(spec.tls);
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    const auto server = net::parse_url("https://127.0.0.1:" + std::to_string(running.port("plc")) +
                                       "/identity-manager/api/v2/auth/token");
    net::HttpQuestion question;
    question.method = "POST";
    question.body = R"({"name":"boschrexroth","password":"boschrexroth"})";
    question.headers = {{"Content-Type", "application/json"}};
    question.tls.verify_peer = false;  // as the controller's clients connect
    const auto answer = net::http_exchange(server, question, 5s);
    EXPECT_EQ(answer.status, 201U) << answer.body;
    EXPECT_NE(answer.body.find("\"access_token\":\"ey"), std::string::npos);
    question.tls.verify_peer = true;  // the self-signed certificate is not trusted
    EXPECT_THROW(net::http_exchange(server, question, 5s), net::HttpExchangeError);
}

}  // namespace
}  // namespace evsim::producers
