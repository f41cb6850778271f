// The machbase-watch dialect (reference 002) over real connections: the latest value per tag per
// period, max-rows per period for log tables, keep-alive comments, CORS, and the JSON error bodies.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <regex>

#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

scenario::ProducerSpec watch_spec(std::chrono::milliseconds insert_every) {
    auto spec = test::make_spec("db", scenario::ProducerType::sse);
    spec.dialect = scenario::Dialect::machbase_watch;
    spec.cadence = cadence::FixedInterval{insert_every};
    spec.payload = payload::Counter{};
    spec.watch.tables = {{"example", scenario::WatchTable::Kind::tag, {"neo_load1", "neo_load5"}},
                         {"events", scenario::WatchTable::Kind::log, {}}};
    return spec;
}

// A watcher: the GET on its own connection; what arrived after the head.
class Watcher {
public:
    Watcher(std::uint16_t port, const std::string& target) : client_(port) {
        client_.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://dash.example\r\n\r\n");
        head = client_.read_until([](const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; });
        const auto end = head.find("\r\n\r\n");
        consumed_ = end == std::string::npos ? head.size() : end + 4;
        head.resize(consumed_);
    }
    // The events (data lines' JSON) once `count` have arrived.
    std::vector<std::string> events(std::size_t count) {
        std::vector<std::string> found;
        client_.read_until([&](const std::string& all) {
            found.clear();
            const std::string body = all.substr(consumed_);
            static const std::regex data("data: (.*)\n\n");
            for (auto it = std::sregex_iterator(body.begin(), body.end(), data); it != std::sregex_iterator(); ++it)
                found.push_back((*it)[1]);
            return found.size() >= count;
        });
        return found;
    }
    std::string stream_until(const std::string& text) {
        return client_.read_until([&](const std::string& all) { return all.find(text, consumed_) != std::string::npos; })
            .substr(consumed_);
    }
    std::string head;

private:
    test::Client client_;
    std::size_t consumed_ = 0;
};

TEST(MachbaseWatchTest, TagTablesSendTheLatestValueOfEachTagOncePerPeriod) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({watch_spec(10ms)}), test::set_options(log));
    Watcher watcher(running.port("db"), "/db/watch/EXAMPLE?tag=neo_load5&tag=neo_load1&period=200ms&timeformat=ms");
    ASSERT_EQ(watcher.head.rfind("HTTP/1.1 200", 0), 0U) << watcher.head;
    EXPECT_NE(watcher.head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << watcher.head;
    EXPECT_NE(watcher.head.find("Access-Control-Allow-Origin: "), std::string::npos) << watcher.head;
    const auto events = watcher.events(6);
    ASSERT_GE(events.size(), 6U);
    std::int64_t previous_value = -1;
    std::int64_t first_value = -1;
    std::int64_t previous_time = 0;
    for (std::size_t i = 0; i + 1 < 6; i += 2) {
        // One event per requested tag per period, in the order asked for.
        const auto first = boost::json::parse(events[i]).as_object();
        const auto second = boost::json::parse(events[i + 1]).as_object();
        EXPECT_EQ(first.at("NAME").as_string(), "neo_load5") << events[i];
        EXPECT_EQ(second.at("NAME").as_string(), "neo_load1") << events[i + 1];
        EXPECT_EQ(first.size(), 3U);
        // The latest of ~20 inserts per period: the counter moves on and never repeats.
        const auto value = first.at("VALUE").as_int64();
        EXPECT_GT(value, previous_value) << events[i];
        if (first_value < 0) first_value = value;
        previous_value = value;
        const auto time = first.at("TIME").as_int64();
        EXPECT_GT(time, previous_time);
        EXPECT_GT(time, 1'700'000'000'000);  // milliseconds since the epoch
        previous_time = time;
    }
    EXPECT_GT(previous_value - first_value, 4) << "values of consecutive periods should skip the rows in between";
}

TEST(MachbaseWatchTest, LogTablesSendAtMostMaxRowsPerPeriod) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({watch_spec(5ms)}), test::set_options(log));
    Watcher watcher(running.port("db"), "/db/watch/events?max-rows=3&period=300ms&timeformat=s");
    ASSERT_EQ(watcher.head.rfind("HTTP/1.1 200", 0), 0U) << watcher.head;
    const auto events = watcher.events(6);
    ASSERT_GE(events.size(), 6U);
    // ~60 rows per period, 3 sent: the newest three, consecutive, then a gap to the next period's.
    const auto value = [&](std::size_t i) { return boost::json::parse(events[i]).as_object().at("VALUE").as_int64(); };
    EXPECT_EQ(value(1), value(0) + 1);
    EXPECT_EQ(value(2), value(1) + 1);
    EXPECT_GT(value(3), value(2) + 10);
    EXPECT_EQ(value(4), value(3) + 1);
}

TEST(MachbaseWatchTest, KeepAliveCommentsAndDefaultTimesAsText) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({watch_spec(20ms)}), test::set_options(log));
    Watcher watcher(running.port("db"),
                    "/db/watch/example?tag=neo_load1&period=150ms&keep-alive=100ms&timeformat=default&tz=Asia/Seoul");
    const auto stream = watcher.stream_until(": keep-alive\n\n");
    EXPECT_NE(stream.find(": keep-alive\n\n"), std::string::npos) << stream;
    const auto events = watcher.events(1);
    ASSERT_FALSE(events.empty());
    const auto time = std::string(boost::json::parse(events[0]).as_object().at("TIME").as_string());
    EXPECT_TRUE(std::regex_match(time, std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,3})?)"))) << time;
}

TEST(MachbaseWatchTest, MistakesGetJsonErrorBodies) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({watch_spec(1s)}), test::set_options(log));
    test::Client client(running.port("db"));
    const auto missing = client.request(http::verb::get, "/db/watch/example");
    EXPECT_EQ(missing.result(), http::status::bad_request);
    EXPECT_EQ(missing[http::field::content_type], "application/json");
    EXPECT_EQ(missing.body(),
              "{\"success\":false,\"reason\":\"tag: required for tag table 'example' (tag=NAME, repeatable)\"}\n");
    const auto unknown = client.request(http::verb::get, "/db/watch/nope?tag=x");
    EXPECT_EQ(unknown.result(), http::status::not_found);
    EXPECT_EQ(unknown.body(), "{\"success\":false,\"reason\":\"table 'nope' does not exist\"}\n");
    EXPECT_EQ(client.request(http::verb::post, "/db/watch/example").result(), http::status::method_not_allowed);
    EXPECT_EQ(running.stats("db").requests_rejected, 2U);
}

TEST(MachbaseWatchTest, TheDocumentsExampleTableWhenNoneIsConfigured) {
    test::LogCapture log;
    auto spec = watch_spec(20ms);
    spec.watch.tables.clear();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    Watcher watcher(running.port("db"), "/db/watch/example?tag=neo_load1&tag=neo_load5&period=100ms&timeformat=s");
    const auto events = watcher.events(2);
    ASSERT_EQ(events.size(), 2U);
    EXPECT_TRUE(std::regex_match(events[0], std::regex(R"(\{"NAME":"neo_load1","TIME":\d{10},"VALUE":\d+\})"))) << events[0];
}

}  // namespace
}  // namespace evsim::producers
