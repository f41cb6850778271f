// Scenario fetch producers: per_request / latest / batch modes, ETag, status, latency, methods,
// content types and CORS, against a real server on 127.0.0.1 port 0.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <chrono>
#include <string>

#include "evsim/core/measurement.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;
using scenario::FetchMode;
using scenario::ProducerType;

scenario::ProducerSpec fetch_spec() {
    auto spec = test::make_spec("poll", ProducerType::fetch);
    spec.payload = payload::Counter{};
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};  // the start emission only
    return spec;
}

TEST(ScenarioFetchTest, PerRequestDrawsAFreshValueForEveryRequest) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.fetch.mode = FetchMode::per_request;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    for (int i = 0; i < 4; ++i) {
        const auto response = client.request(http::verb::get);
        EXPECT_EQ(response.result(), http::status::ok);
        EXPECT_EQ(response.body(), std::to_string(i));  // nothing drawn at start: the counter's 0 is the first answer
        EXPECT_EQ(response[http::field::content_type], "text/plain");
    }
    EXPECT_EQ(running.stats("poll").events_published, 4U);
}

TEST(ScenarioFetchTest, LatestChangesOnlyWithTheCadence) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.fetch.etag = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    const auto first = client.request(http::verb::get);
    const auto second = client.request(http::verb::get);
    EXPECT_EQ(first.result(), http::status::ok);
    EXPECT_EQ(first.body(), "0");
    EXPECT_EQ(second.body(), first.body());
    EXPECT_FALSE(first[http::field::etag].empty());
    EXPECT_EQ(second[http::field::etag], first[http::field::etag]);
    // A new event (as the next tick would make) changes both.
    running.publish("poll", "", "17", measurement::DataForm::json);
    const auto third = client.request(http::verb::get);
    EXPECT_EQ(third.body(), "17");
    EXPECT_NE(third[http::field::etag], first[http::field::etag]);
}

TEST(ScenarioFetchTest, LatestFollowsAFastCadence) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.cadence = cadence::FixedInterval{20ms};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    const auto first = std::stoull(client.request(http::verb::get).body());
    // Wait for two more ticks, then the answer is at least two further on.
    ASSERT_TRUE(running.eventually([&](ProducerSet& set) { return set.find("poll")->stats().events_published >= first + 3; }));
    EXPECT_GE(std::stoull(client.request(http::verb::get).body()), first + 2);
}

TEST(ScenarioFetchTest, IfNoneMatchGets304WithoutBody) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.fetch.etag = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    const auto first = client.request(http::verb::get);
    const std::string etag(first[http::field::etag]);
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(etag.front(), '"');
    EXPECT_EQ(etag.back(), '"');

    auto conditional = test::make_request(http::verb::get);
    conditional.set(http::field::if_none_match, etag);
    const auto not_modified = client.request(conditional);
    EXPECT_EQ(not_modified.result(), http::status::not_modified);
    EXPECT_TRUE(not_modified.body().empty());
    EXPECT_EQ(not_modified[http::field::etag], etag);
    EXPECT_EQ(not_modified.count(http::field::content_type), 0U);

    // Raw bytes: a 304 carries no body at all (the connection stays usable).
    test::Client raw(running.port("poll"));
    raw.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: " + etag + "\r\n\r\n");
    const auto received = raw.read_until([](const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; });
    EXPECT_EQ(received.substr(0, 25), "HTTP/1.1 304 Not Modified") << received;
    EXPECT_EQ(received.size(), received.find("\r\n\r\n") + 4) << received;
    EXPECT_EQ(raw.request(http::verb::get).body(), "0");

    running.publish("poll", "", "5", measurement::DataForm::json);
    const auto changed = client.request(conditional);
    EXPECT_EQ(changed.result(), http::status::ok);
    EXPECT_EQ(changed.body(), "5");
    EXPECT_NE(changed[http::field::etag], etag);
}

TEST(ScenarioFetchTest, NoEtagUnlessConfigured) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({fetch_spec()}), test::set_options(log));
    test::Client client(running.port("poll"));
    auto request = test::make_request(http::verb::get);
    request.set(http::field::if_none_match, "\"1\"");
    const auto response = client.request(request);
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(response.count(http::field::etag), 0U);
    EXPECT_EQ(response.body(), "0");
}

TEST(ScenarioFetchTest, ConfiguredStatusStillCarriesTheBody) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.fetch.status = 503;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    const auto response = client.request(http::verb::get);
    EXPECT_EQ(response.result(), http::status::service_unavailable);
    EXPECT_EQ(response.body(), "0");
    EXPECT_EQ(response[http::field::content_length], "1");
    EXPECT_EQ(response[http::field::content_type], "text/plain");
    // The connection is still kept alive.
    EXPECT_EQ(client.request(http::verb::get).result(), http::status::service_unavailable);
}

TEST(ScenarioFetchTest, LatencyDelaysEveryAnswer) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.fetch.latency = 150ms;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    for (int i = 0; i < 2; ++i) {  // keep-alive: the second request on the same connection is delayed too
        const auto started = std::chrono::steady_clock::now();
        const auto response = client.request(http::verb::get);
        const auto elapsed = std::chrono::steady_clock::now() - started;
        EXPECT_EQ(response.result(), http::status::ok);
        EXPECT_EQ(response.body(), "0");
        EXPECT_GE(elapsed, 150ms);  // only a lower bound: a loaded machine may add any delay
    }
}

TEST(ScenarioFetchTest, ListedMethodsAreAllowedOthersGet405) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.fetch.methods = {"GET", "POST"};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    const auto post = client.request(http::verb::post);
    EXPECT_EQ(post.result(), http::status::ok);
    EXPECT_EQ(post.body(), "0");
    const auto head = client.request(http::verb::head);  // allowed with GET
    EXPECT_EQ(head.result(), http::status::ok);
    EXPECT_TRUE(head.body().empty());
    EXPECT_EQ(head[http::field::content_length], "1");
    const auto put = client.request(http::verb::put);
    EXPECT_EQ(put.result(), http::status::method_not_allowed);
    EXPECT_EQ(put[http::field::allow], "GET, POST, HEAD, OPTIONS");
    const auto del = client.request(http::verb::delete_);
    EXPECT_EQ(del.result(), http::status::method_not_allowed);
    const auto preflight = client.request(http::verb::options);
    EXPECT_EQ(preflight.result(), http::status::no_content);
    EXPECT_EQ(preflight[http::field::access_control_allow_methods], "GET, POST, HEAD, OPTIONS");
}

TEST(ScenarioFetchTest, PostOnlyRefusesGetAndHead) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.fetch.methods = {"POST"};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    EXPECT_EQ(client.request(http::verb::post).result(), http::status::ok);
    const auto get = client.request(http::verb::get);
    EXPECT_EQ(get.result(), http::status::method_not_allowed);
    EXPECT_EQ(get[http::field::allow], "POST, OPTIONS");
    EXPECT_EQ(client.request(http::verb::head).result(), http::status::method_not_allowed);
}

TEST(ScenarioFetchTest, BatchModeSendsNewEventsAsAJsonArray) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.fetch.mode = FetchMode::batch;
    spec.fetch.batch_size = 3;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    const auto first = client.request(http::verb::get);
    EXPECT_EQ(first.result(), http::status::ok);
    EXPECT_EQ(first[http::field::content_type], "application/json");
    EXPECT_EQ(first.body(), "[0]");                           // the start emission, seq 1
    EXPECT_EQ(client.request(http::verb::get).body(), "[]");  // nothing new since

    // Seq 2..6 carry their own sequence number as data.
    for (int seq = 2; seq <= 6; ++seq) running.publish("poll", "", std::to_string(seq), measurement::DataForm::json);
    EXPECT_EQ(client.request(http::verb::get).body(), "[4,5,6]");  // at most batch_size, the newest
    EXPECT_EQ(client.request(http::verb::get).body(), "[]");

    running.publish("poll", "", "7", measurement::DataForm::json);
    EXPECT_EQ(client.request(http::verb::get).body(), "[7]");  // only what is newer than the last answer

    // ?since=N picks the starting point explicitly.
    EXPECT_EQ(client.request(http::verb::get, "/?since=5").body(), "[6,7]");
    EXPECT_EQ(client.request(http::verb::get, "/?x=1&since=6").body(), "[7]");
    EXPECT_EQ(client.request(http::verb::get, "/?since=7").body(), "[]");
    // Text payloads are JSON strings in the array.
    running.publish("poll", "", "a\"b", measurement::DataForm::text);
    EXPECT_EQ(client.request(http::verb::get).body(), R"(["a\"b"])");
}

TEST(ScenarioFetchTest, BatchModeFromTheCadence) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.cadence = cadence::Rate{200};
    spec.fetch.mode = FetchMode::batch;
    spec.fetch.batch_size = 1000;
    spec.measurement_metadata = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("poll")->stats().events_published >= 5; }));
    const auto body = client.request(http::verb::get).body();
    ASSERT_FALSE(body.empty());
    EXPECT_EQ(body.front(), '[');
    EXPECT_EQ(body.back(), ']');
    // Envelopes, consecutive from seq 1.
    std::uint64_t expected = 1;
    for (std::size_t at = 1; at < body.size() - 1;) {
        const auto end = body.find('}', at);
        ASSERT_NE(end, std::string::npos) << body;
        const auto envelope = measurement::parse_envelope(std::string_view(body).substr(at, end + 1 - at));
        ASSERT_TRUE(envelope) << body;
        EXPECT_EQ(envelope->stamp.seq, expected);
        EXPECT_EQ(std::string(envelope->data), std::to_string(expected - 1));
        ++expected;
        at = end + 1;
        if (at < body.size() && body[at] == ',') ++at;
    }
    EXPECT_GE(expected, 6U);
}

TEST(ScenarioFetchTest, ContentTypes) {
    test::LogCapture log;
    auto number = fetch_spec();
    number.name = "number";
    auto text = fetch_spec();
    text.name = "text";
    text.payload = payload::Constant{"hello"};
    auto document = fetch_spec();
    document.name = "document";
    payload::JsonTemplate json;
    json.text = R"({"v": {{v}}})";
    json.fields.push_back({"v", payload::Counter{}});
    document.payload = json;
    auto envelope = fetch_spec();
    envelope.name = "envelope";
    envelope.measurement_metadata = true;
    test::RunningSet running(test::make_scenario({number, text, document, envelope}), test::set_options(log));

    auto get = [&](const std::string& name) {
        test::Client client(running.port(name));
        return client.request(http::verb::get);
    };
    const auto n = get("number");
    EXPECT_EQ(n[http::field::content_type], "text/plain");
    EXPECT_EQ(n.body(), "0");
    const auto t = get("text");
    EXPECT_EQ(t[http::field::content_type], "text/plain");
    EXPECT_EQ(t.body(), "hello");
    const auto d = get("document");
    EXPECT_EQ(d[http::field::content_type], "application/json");
    EXPECT_EQ(d.body(), R"({"v": 0})");
    const auto e = get("envelope");
    EXPECT_EQ(e[http::field::content_type], "application/json");
    const auto parsed = measurement::parse_envelope(e.body());
    ASSERT_TRUE(parsed) << e.body();
    EXPECT_EQ(parsed->stamp.seq, 1U);
    EXPECT_EQ(std::string(parsed->data), "0");
}

scenario::CorsPolicy strict_cors() {
    scenario::CorsPolicy cors;
    cors.allow_origins = {"https://a.example"};
    cors.allow_credentials = true;
    cors.allow_headers = {"X-Token"};
    cors.max_age = std::chrono::seconds(120);
    return cors;
}

TEST(ScenarioFetchTest, CorsListedOriginIsEchoed) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.cors = strict_cors();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    auto request = test::make_request(http::verb::get);
    request.set(http::field::origin, "https://a.example");
    const auto response = client.request(request);
    EXPECT_EQ(response[http::field::access_control_allow_origin], "https://a.example");
    EXPECT_EQ(response[http::field::access_control_allow_credentials], "true");
    EXPECT_EQ(response[http::field::vary], "Origin");
    EXPECT_EQ(response.count(http::field::access_control_allow_origin), 1U);
}

TEST(ScenarioFetchTest, CorsUnlistedOriginGetsNoAllowOrigin) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.cors = strict_cors();
    spec.fetch.etag = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    auto request = test::make_request(http::verb::get);
    request.set(http::field::origin, "https://evil.example");
    const auto response = client.request(request);
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U)
        << response[http::field::access_control_allow_origin];
    EXPECT_EQ(response.count(http::field::access_control_allow_credentials), 0U);
    EXPECT_EQ(response[http::field::vary], "Origin");
    // Nor on a refused method or a 304.
    auto put = test::make_request(http::verb::put);
    put.set(http::field::origin, "https://evil.example");
    const auto refused = client.request(put);
    EXPECT_EQ(refused.result(), http::status::method_not_allowed);
    EXPECT_EQ(refused.count(http::field::access_control_allow_origin), 0U);
    request.set(http::field::if_none_match, response[http::field::etag]);
    const auto not_modified = client.request(request);
    EXPECT_EQ(not_modified.result(), http::status::not_modified);
    EXPECT_EQ(not_modified.count(http::field::access_control_allow_origin), 0U);
}

TEST(ScenarioFetchTest, CorsPreflight) {
    test::LogCapture log;
    auto spec = fetch_spec();
    spec.cors = strict_cors();
    spec.fetch.methods = {"GET", "POST"};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("poll"));
    auto request = test::make_request(http::verb::options);
    request.set(http::field::origin, "https://a.example");
    request.set(http::field::access_control_request_method, "POST");
    const auto response = client.request(request);
    EXPECT_EQ(response.result(), http::status::no_content);
    EXPECT_EQ(response[http::field::access_control_allow_origin], "https://a.example");
    EXPECT_EQ(response[http::field::access_control_allow_methods], "GET, POST, HEAD, OPTIONS");
    EXPECT_EQ(response[http::field::access_control_allow_headers], "X-Token");
    EXPECT_EQ(response[http::field::access_control_max_age], "120");
}

}  // namespace
}  // namespace evsim::producers
