// The control API on 127.0.0.1 port 0 next to a scenario SSE producer, in process: every route,
// every error answer, and a published event reaching a connected stream client.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "evsim/core/sse_parser.hpp"
#include "evsim/producers/control_api.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

// A ProducerSet and its ControlApi built on this thread, then run on an io_context thread.
class RunningControl {
public:
    RunningControl() {
        auto spec = test::make_spec("stream", scenario::ProducerType::sse);
        spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};  // only the start emission: publishes stand out
        set_.emplace(io_, test::make_scenario({spec}), test::set_options(log_));
        ControlApiOptions options;
        options.body_limit = 1024;  // small, so the 413 test sends little
        options.log = log_.function();
        control_.emplace(io_, *set_, options);
        set_->start();
        control_->start();
        finished_ = std::async(std::launch::async, [this] { io_.run(); });
    }
    ~RunningControl() {
        boost::asio::post(io_, [this] {
            control_->stop();
            set_->stop();
        });
        if (finished_.wait_for(test::timeout) != std::future_status::ready) io_.stop();
        finished_.wait();
    }
    std::uint16_t control_port() const { return control_->endpoint().port(); }
    std::uint16_t sse_port() const { return set_->endpoint("stream").value().port(); }
    std::string control_url() const { return control_->url(); }

private:
    test::LogCapture log_;
    boost::asio::io_context io_;
    std::optional<ProducerSet> set_;
    std::optional<ControlApi> control_;
    std::future<void> finished_;
};

std::string text(const json::value& value) {
    const auto& string = value.as_string();
    return std::string(string.data(), string.size());
}

json::value body_of(const http::response<http::string_body>& response) {
    EXPECT_EQ(response[http::field::content_type], "application/json") << response;
    boost::system::error_code error;
    auto value = json::parse(response.body(), error);
    EXPECT_FALSE(error) << response.body();
    return value;
}

http::response<http::string_body> post(std::uint16_t port, std::string target, std::string body) {
    test::Client client(port);
    auto request = test::make_request(http::verb::post, std::move(target));
    request.set(http::field::content_type, "application/json");
    request.body() = std::move(body);
    return client.request(std::move(request));
}

// The error message of a JSON error answer with `status`.
std::string error_of(const http::response<http::string_body>& response, http::status status) {
    EXPECT_EQ(response.result(), status) << response;
    const auto body = body_of(response);
    if (!body.is_object() || !body.as_object().contains("error")) return "<no error field>";
    return text(body.at("error"));
}

struct Collector : sse::ParserHandler {
    void on_event(const sse::Event& event) override { events.push_back({std::string(event.type), std::string(event.data)}); }
    std::vector<std::pair<std::string, std::string>> events;
};

Collector parse_stream(const std::string& received) {
    Collector collector;
    const auto end = received.find("\r\n\r\n");
    if (end == std::string::npos) return collector;
    sse::Parser parser(collector);
    parser.feed(std::string_view(received).substr(end + 4));
    return collector;
}

TEST(ControlApiTest, HealthProducersAndStats) {
    RunningControl running;
    EXPECT_EQ(running.control_url(), "http://127.0.0.1:" + std::to_string(running.control_port()));
    test::Client client(running.control_port());

    const auto health = body_of(client.request(http::verb::get, "/health"));
    EXPECT_EQ(text(health.at("status")), "ok");
    EXPECT_EQ(health.at("producers").to_number<int>(), 1);
    EXPECT_GE(health.at("uptime_s").to_number<double>(), 0.0);

    const auto listing = body_of(client.request(http::verb::get, "/producers"));
    ASSERT_TRUE(listing.is_array());
    ASSERT_EQ(listing.as_array().size(), 1U);
    EXPECT_EQ(text(listing.at(0).at("name")), "stream");
    EXPECT_EQ(text(listing.at(0).at("type")), "sse");
    EXPECT_EQ(text(listing.at(0).at("url")), "http://127.0.0.1:" + std::to_string(running.sse_port()));

    const auto response = client.request(http::verb::get, "/stats?pretty=no");  // a query is ignored
    EXPECT_EQ(response.result(), http::status::ok);
    const auto stats = body_of(response);
    const auto& producer = stats.at("producers").at(0);
    EXPECT_EQ(text(producer.at("name")), "stream");
    EXPECT_EQ(producer.at("clients").to_number<int>(), 0);
    for (const char* counter : {"connections_accepted", "requests_rejected", "requests_served", "events_published",
                                "events_dropped", "bytes_sent", "faults_injected"}) {
        EXPECT_TRUE(producer.as_object().contains(counter)) << counter;
        EXPECT_TRUE(stats.at("totals").as_object().contains(counter)) << counter;
    }
    EXPECT_EQ(producer.at("events_published").to_number<int>(), 1);  // the start emission
}

TEST(ControlApiTest, PublishReachesAConnectedStreamClient) {
    RunningControl running;
    test::Client stream(running.sse_port());
    stream.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
    auto events_in = [](const std::string& r) { return parse_stream(r).events.size(); };
    ASSERT_EQ(events_in(stream.read_until([&](const std::string& r) { return events_in(r) >= 1; })), 1U);

    const auto published = post(running.control_port(), "/producers/stream/publish", R"({"event":"alert","data":"overheated"})");
    EXPECT_EQ(published.result(), http::status::accepted);
    const auto answer = body_of(published);
    EXPECT_TRUE(answer.at("published").as_bool());
    EXPECT_EQ(text(answer.at("producer")), "stream");
    // Any other JSON value is sent as its JSON text; without "event", the producer's own name.
    EXPECT_EQ(post(running.control_port(), "/producers/stream/publish", R"({"data":{"level":3}})").result(),
              http::status::accepted);

    const auto received = stream.read_until([&](const std::string& r) { return events_in(r) >= 3; });
    const auto events = parse_stream(received).events;
    ASSERT_EQ(events.size(), 3U) << received;
    EXPECT_EQ(events[1].first, "alert");
    EXPECT_EQ(events[1].second, "overheated");
    EXPECT_EQ(events[2].second, R"({"level":3})");

    test::Client client(running.control_port());
    const auto stats = body_of(client.request(http::verb::get, "/stats"));
    EXPECT_EQ(stats.at("producers").at(0).at("events_published").to_number<int>(), 3);
    EXPECT_EQ(stats.at("producers").at(0).at("clients").to_number<int>(), 1);
}

TEST(ControlApiTest, PublishErrorsAreJsonAndSayWhatIsWrong) {
    RunningControl running;
    const auto port = running.control_port();
    EXPECT_EQ(error_of(post(port, "/producers/nope/publish", R"({"data":"x"})"), http::status::not_found),
              "no producer named 'nope'");
    EXPECT_NE(error_of(post(port, "/producers/stream/publish", "{not json"), http::status::bad_request)
                  .find("not valid JSON"),
              std::string::npos);
    EXPECT_NE(error_of(post(port, "/producers/stream/publish", "[1]"), http::status::bad_request).find("JSON object"),
              std::string::npos);
    EXPECT_EQ(error_of(post(port, "/producers/stream/publish", R"({"event":"a"})"), http::status::bad_request),
              "missing field \"data\"");
    EXPECT_EQ(error_of(post(port, "/producers/stream/publish", R"({"event":5,"data":"x"})"), http::status::bad_request),
              "\"event\" must be a string");
    EXPECT_NE(error_of(post(port, "/producers/stream/publish", R"({"data":"x","colour":1})"), http::status::bad_request)
                  .find("unknown field 'colour'"),
              std::string::npos);
    EXPECT_NE(error_of(post(port, "/producers/stream/publish", std::string(2048, ' ')), http::status::payload_too_large)
                  .find("larger than 1024"),
              std::string::npos);
}

TEST(ControlApiTest, WrongMethodsAndUnknownPaths) {
    RunningControl running;
    test::Client client(running.control_port());
    const auto get_publish = client.request(http::verb::get, "/producers/stream/publish");
    EXPECT_EQ(get_publish[http::field::allow], "POST");
    EXPECT_NE(error_of(get_publish, http::status::method_not_allowed).find("GET not allowed"), std::string::npos);
    const auto post_stats = client.request(http::verb::post, "/stats");
    EXPECT_EQ(post_stats[http::field::allow], "GET");
    error_of(post_stats, http::status::method_not_allowed);
    EXPECT_EQ(error_of(client.request(http::verb::get, "/nothing"), http::status::not_found), "no control route at /nothing");
    error_of(client.request(http::verb::post, "/producers/a/b/publish"), http::status::not_found);
}

}  // namespace
}  // namespace evsim::producers
