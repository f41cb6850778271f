// Stream faults on scenario SSE producers, checked on the wire of a real server on 127.0.0.1 port 0:
// close, reset, stall, split, drip and malformed; the after / every / times / probability / at
// triggers; producer scope; and the control API's POST /producers/NAME/faults.
#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/json.hpp>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "evsim/core/sse_parser.hpp"
#include "evsim/producers/control_api.hpp"
#include "faults_test_support.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;
using faults::Kind;
using faults_test::after;
using faults_test::Clock;
using faults_test::data_of;
using faults_test::every;
using faults_test::make_fault;
using faults_test::RawClient;
using faults_test::sse_events;
using faults_test::sse_request;
using scenario::ProducerType;

// Counter values from 1000 at 100 events a second: every event is "data: NNNN\n\n", 12 bytes.
scenario::ProducerSpec sse_spec(std::vector<faults::FaultSpec> faults, std::string name = "stream") {
    auto spec = test::make_spec(std::move(name), ProducerType::sse);
    spec.payload = payload::Counter{1000, 1};
    spec.cadence = cadence::Rate{100};
    spec.faults = std::move(faults);
    return spec;
}

faults::FaultSpec sse_fault(Kind kind, faults::Trigger trigger,
                            const std::function<void(faults::FaultSpec&)>& edit = {}) {
    return make_fault(kind, trigger, "sse", edit);
}

// Reads until the stream holds `count` events.
std::vector<faults_test::SseEvent> read_events(RawClient& client, std::size_t count, std::string_view skip = {}) {
    client.read_until([&](const std::string& r) { return sse_events(r, skip).size() >= count; });
    auto events = sse_events(client.received(), skip);
    EXPECT_GE(events.size(), count) << client.received();
    return events;
}

TEST(FaultsSseTest, CloseAfterNEndsTheStreamWithFinRightAfterTheNthEvent) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({sse_spec({sse_fault(Kind::close, after(5))})}), test::set_options(log));
    RawClient client(running.port("stream"));
    client.send(sse_request());
    ASSERT_TRUE(client.read_to_end());
    EXPECT_EQ(client.end(), asio::error::eof) << client.end().message();
    const auto events = sse_events(client.received());
    ASSERT_EQ(events.size(), 5U) << client.received();
    EXPECT_TRUE(faults_test::consecutive(data_of(events))) << client.received();
    EXPECT_EQ(events.back().end, client.received().size()) << "bytes after the 5th event: " << client.received();
    EXPECT_TRUE(running.eventually([](ProducerSet& set) { return set.find("stream")->stats().faults_injected == 1; }));
}

TEST(FaultsSseTest, ResetAbortsTheConnectionWithRst) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({sse_spec({sse_fault(Kind::reset, after(3))})}), test::set_options(log));
    RawClient client(running.port("stream"));
    client.send(sse_request());
    ASSERT_TRUE(client.read_to_end());
    EXPECT_EQ(client.end(), asio::error::connection_reset) << client.end().message();
    const auto events = sse_events(client.received());
    EXPECT_EQ(events.size(), 3U) << client.received();
    EXPECT_EQ(running.stats("stream").faults_injected, 1U);
}

TEST(FaultsSseTest, StallWritesNothingForTheDurationThenTheQueuedEvents) {
    test::LogCapture log;
    const auto duration = 300ms;
    test::RunningSet running(
        test::make_scenario({sse_spec({sse_fault(Kind::stall, after(3), [&](auto& f) { f.duration = duration; })})}),
        test::set_options(log));
    RawClient client(running.port("stream"));
    client.send(sse_request());
    const auto events = read_events(client, 8);
    ASSERT_GE(events.size(), 8U);
    // Nothing is lost: the events published meanwhile were queued.
    EXPECT_TRUE(faults_test::consecutive(data_of(events))) << client.received();
    const auto gap = client.time_of(events[3].end - 1) - client.time_of(events[2].end - 1);
    EXPECT_GE(gap, duration - 10ms) << "gap between events 3 and 4: "
                                    << std::chrono::duration_cast<std::chrono::milliseconds>(gap).count() << "ms";
}

TEST(FaultsSseTest, SplitWritesOneEventInPiecesCutAtTheOffsetsGapApart) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({sse_spec({sse_fault(Kind::split, after(3), [](auto& f) {
                                 f.at_bytes = {3, 7};
                                 f.gap = 50ms;
                             })})}),
                             test::set_options(log));
    RawClient client(running.port("stream"));
    client.send(sse_request());
    const auto events = read_events(client, 5);
    ASSERT_GE(events.size(), 5U);
    EXPECT_TRUE(faults_test::consecutive(data_of(events))) << client.received();
    const auto start = events[2].begin;  // "dat" | "a: 1" | "00N\n\n"
    const auto* second = client.chunk_starting_at(start + 3);
    const auto* third = client.chunk_starting_at(start + 7);
    ASSERT_NE(second, nullptr) << "no read starts 3 bytes into the 3rd event";
    ASSERT_NE(third, nullptr) << "no read starts 7 bytes into the 3rd event";
    EXPECT_EQ(second->bytes.substr(0, 4), "a: " + events[2].data.substr(0, 1));
    EXPECT_GE(second->at - client.time_of(start), 40ms);
    EXPECT_GE(third->at - second->at, 40ms);
    EXPECT_EQ(client.time_of(start + 2), client.time_of(start)) << "the first piece came in two reads";
}

TEST(FaultsSseTest, DripWritesOneByteAtATimeForTheDuration) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({sse_spec({sse_fault(Kind::drip, after(3), [](auto& f) {
                                 f.chunk = 1;
                                 f.gap = 5ms;
                                 f.duration = 200ms;
                             })})}),
                             test::set_options(log));
    RawClient client(running.port("stream"));
    client.send(sse_request());
    // The drip ends after 200 ms at ~200 bytes/s: then the backlog (100 events/s) comes in big reads.
    const auto events = read_events(client, 40);
    ASSERT_GE(events.size(), 40U);
    EXPECT_TRUE(faults_test::consecutive(data_of(events))) << client.received();
    // The 3rd to 5th events (36 bytes) went out one byte at a time, 5 ms apart: nearly every read
    // of them is one byte (a busy client may now and then read two at once).
    const auto begin = events[2].begin;
    std::size_t singles = 0;
    for (const auto& chunk : client.chunks()) {
        if (chunk.offset >= begin && chunk.offset < begin + 36 && chunk.bytes.size() == 1) ++singles;
    }
    EXPECT_GE(singles, 24U) << "1-byte reads among the 36 bytes of events 3 to 5";
    EXPECT_GE(client.time_of(begin + 35) - client.time_of(begin), 150ms);
    // Once the drip is over, the backlog comes in big reads.
    std::size_t biggest = 0;
    for (const auto& chunk : client.chunks()) {
        if (chunk.offset >= begin) biggest = std::max(biggest, chunk.bytes.size());
    }
    EXPECT_GT(biggest, 24U);
}

TEST(FaultsSseTest, DripKeepsItsGapBetweenOneEventAndTheNext) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({sse_spec({sse_fault(Kind::drip, after(3), [](auto& f) {
                                 f.chunk = 4;
                                 f.gap = 10ms;
                                 f.duration = 300ms;
                             })})}),
                             test::set_options(log));
    RawClient client(running.port("stream"));
    client.send(sse_request());
    const auto events = read_events(client, 7);
    ASSERT_GE(events.size(), 7U);
    EXPECT_TRUE(faults_test::consecutive(data_of(events))) << client.received();
    // Events of 12 bytes in 3 chunks: 12 gaps from the 3rd event's first byte to the 7th's (8
    // if the gap were skipped between one event's last chunk and the next event's first).
    EXPECT_GE(client.time_of(events[6].begin) - client.time_of(events[2].begin), 105ms);
}

TEST(FaultsSseTest, MalformedBytesComeVerbatimBeforeTheEventAndTheStreamGoesOn) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({sse_spec({sse_fault(Kind::malformed, after(3))})}),
                             test::set_options(log));
    const auto malformed = faults::default_malformed_sse();
    RawClient client(running.port("stream"));
    client.send(sse_request());
    const auto events = read_events(client, 6, malformed);
    ASSERT_GE(events.size(), 6U);
    EXPECT_TRUE(faults_test::consecutive(data_of(events))) << client.received();
    const auto& received = client.received();
    const auto at = received.find(malformed);
    ASSERT_NE(at, std::string::npos) << received;
    EXPECT_EQ(at, events[1].end);                     // right after the 2nd event
    EXPECT_EQ(at + malformed.size(), events[2].begin);  // right before the 3rd
    EXPECT_EQ(received.find(malformed, at + 1), std::string::npos) << "malformed bytes twice";
    // A conformant parser sees one extra event, of type "bare", and keeps the stream.
    struct Collector : sse::ParserHandler {
        void on_event(const sse::Event& event) override { types.emplace_back(event.type); }
        std::vector<std::string> types;
    } collector;
    sse::Parser parser(collector);
    parser.feed(std::string_view(received).substr(faults_test::body_offset(received), events[5].end - events[0].begin));
    ASSERT_EQ(collector.types.size(), 7U);
    EXPECT_EQ(collector.types[2], "bare");
    EXPECT_EQ(running.stats("stream").faults_injected, 1U);
}

TEST(FaultsSseTest, EveryFiresOnEachNthEventAfterOnlyOnceAndTimesBoundsEvery) {
    test::LogCapture log;
    const std::string marker = ": fault\n";
    auto with_marker = [&](faults::FaultSpec& f) { f.bytes = marker; };
    test::RunningSet running(
        test::make_scenario({sse_spec({sse_fault(Kind::malformed, every(3), with_marker)}, "every"),
                             sse_spec({sse_fault(Kind::malformed, after(3), with_marker)}, "after"),
                             sse_spec({sse_fault(Kind::malformed, every(2, 2), with_marker)}, "times")}),
        test::set_options(log));
    auto pattern = [&](const std::string& name) {
        RawClient client(running.port(name));
        client.send(sse_request());
        read_events(client, 12, marker);
        auto result = faults_test::sse_pattern(client.received(), marker);
        // Up to the 12th event.
        std::size_t seen = 0;
        for (std::size_t i = 0; i < result.size(); ++i) {
            if (result[i] == 'E' && ++seen == 12) return result.substr(0, i + 1);
        }
        return result;
    };
    auto expected = [](auto marked) {
        std::string out;
        for (int i = 1; i <= 12; ++i) out += std::string(marked(i) ? "ME" : "E");
        return out;
    };
    EXPECT_EQ(pattern("every"), expected([](int i) { return i % 3 == 0; }));
    EXPECT_EQ(pattern("after"), expected([](int i) { return i == 3; }));
    EXPECT_EQ(pattern("times"), expected([](int i) { return i == 2 || i == 4; }));
    EXPECT_TRUE(running.eventually([](ProducerSet& set) { return set.find("every")->stats().faults_injected >= 4; }));
    EXPECT_EQ(running.stats("after").faults_injected, 1U);
    EXPECT_EQ(running.stats("times").faults_injected, 2U);
}

// The marker pattern over a first connection's first 40 events, for a probability fault.
std::string probability_pattern(std::uint64_t seed) {
    test::LogCapture log;
    const std::string marker = ": fault\n";
    auto options = test::set_options(log);
    options.seed = seed;
    test::RunningSet running(
        test::make_scenario({sse_spec({sse_fault(Kind::malformed, faults_test::probability(0.3),
                                                 [&](auto& f) { f.bytes = marker; })})}),
        std::move(options));
    RawClient client(running.port("stream"));
    client.send(sse_request());
    read_events(client, 40, marker);
    auto pattern = faults_test::sse_pattern(client.received(), marker);
    std::size_t seen = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == 'E' && ++seen == 40) return pattern.substr(0, i + 1);
    }
    return pattern;
}

TEST(FaultsSseTest, ProbabilityIsReproducibleWithTheSameSeed) {
    const auto first = probability_pattern(42);
    const auto second = probability_pattern(42);
    EXPECT_EQ(first, second);
    const auto markers = faults_test::count_of(first, 'M');
    EXPECT_GT(markers, 2U) << first;   // p = 0.3 over 40 events
    EXPECT_LT(markers, 30U) << first;
    EXPECT_NE(probability_pattern(7), first) << "another seed, the same draws";
}

TEST(FaultsSseTest, ProducerScopeCutsEveryConnectionAtTheSameEvent) {
    test::LogCapture log;
    auto spec = sse_spec({sse_fault(Kind::close, after(4), [](auto& f) { f.scope = faults::Scope::producer; })});
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};  // the start emission, then only publishes
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    RawClient a(running.port("stream"));
    a.send(sse_request());
    RawClient b(running.port("stream"));
    b.send(sse_request());
    // Both hold the start emission (the producer's event 1) before the next events are published.
    ASSERT_EQ(read_events(a, 1).size(), 1U);
    ASSERT_EQ(read_events(b, 1).size(), 1U);
    ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("stream")->clients() == 2; }));
    for (const auto* data : {"p2", "p3", "p4", "p5"}) running.publish("stream", "", data);
    for (auto* client : {&a, &b}) {
        ASSERT_TRUE(client->read_to_end());
        EXPECT_EQ(client->end(), asio::error::eof);
        EXPECT_EQ(data_of(sse_events(client->received())), (std::vector<std::string>{"1000", "p2", "p3", "p4"}))
            << client->received();
    }
    EXPECT_GE(running.stats("stream").faults_injected, 1U);
}

TEST(FaultsSseTest, AtClosesTheConnectionThatLongAfterItOpened) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({sse_spec({sse_fault(Kind::close, faults_test::at(300ms))})}),
                             test::set_options(log));
    // A first connection, so the second one's clock clearly starts at its own opening.
    RawClient early(running.port("stream"));
    early.send(sse_request());
    read_events(early, 10);
    const auto opened = Clock::now();
    RawClient client(running.port("stream"));
    client.send(sse_request());
    ASSERT_TRUE(client.read_to_end());
    EXPECT_EQ(client.end(), asio::error::eof);
    EXPECT_GE(client.ended_at() - opened, 300ms);
    const auto events = sse_events(client.received());
    EXPECT_GE(events.size(), 5U);  // the stream flowed until then
    EXPECT_EQ(events.back().end, client.received().size()) << "cut inside an event";
    ASSERT_TRUE(early.read_to_end());
    EXPECT_GE(running.stats("stream").faults_injected, 2U);
}

TEST(FaultsSseTest, ProducerScopeAtResetsEveryConnectionThatLongAfterTheStart) {
    test::LogCapture log;
    const auto started = Clock::now();
    test::RunningSet running(test::make_scenario({sse_spec({sse_fault(Kind::reset, faults_test::at(500ms), [](auto& f) {
                                 f.scope = faults::Scope::producer;
                             })})}),
                             test::set_options(log));
    RawClient a(running.port("stream"));
    a.send(sse_request());
    RawClient b(running.port("stream"));
    b.send(sse_request());
    for (auto* client : {&a, &b}) {
        ASSERT_TRUE(client->read_to_end());
        EXPECT_EQ(client->end(), asio::error::connection_reset) << client->end().message();
        EXPECT_GE(client->ended_at() - started, 500ms);
    }
    // Once: a later connection is not cut.
    RawClient later(running.port("stream"));
    later.send(sse_request());
    read_events(later, 20);
    EXPECT_FALSE(later.ended());
}

// ---- the control API ---------------------------------------------------------------------------

// A ProducerSet (an SSE producer "stream" and a fetch producer "api") and its ControlApi, run on an
// io_context thread.
class RunningControl {
public:
    RunningControl() {
        auto stream = test::make_spec("stream", ProducerType::sse);
        stream.cadence = cadence::FixedInterval{std::chrono::hours(1)};
        stream.payload = payload::Counter{1000, 1};
        auto api = test::make_spec("api", ProducerType::fetch);
        api.cadence = cadence::FixedInterval{std::chrono::hours(1)};
        auto ws = test::make_spec("ws", ProducerType::ws);
        ws.cadence = cadence::FixedInterval{std::chrono::hours(1)};
        set_.emplace(io_, test::make_scenario({stream, api, ws}), test::set_options(log_));
        ControlApiOptions options;
        options.log = log_.function();
        control_.emplace(io_, *set_, options);
        set_->start();
        control_->start();
        finished_ = std::async(std::launch::async, [this] { io_.run(); });
    }
    ~RunningControl() {
        asio::post(io_, [this] {
            control_->stop();
            set_->stop();
        });
        if (finished_.wait_for(test::timeout) != std::future_status::ready) io_.stop();
        finished_.wait();
    }
    std::uint16_t control_port() const { return control_->endpoint().port(); }
    std::uint16_t port(std::string_view name) const { return set_->endpoint(name).value().port(); }
    StatsSnapshot stats(std::string_view name) {
        std::promise<StatsSnapshot> result;
        auto future = result.get_future();
        asio::post(io_, [&] { result.set_value(set_->find(name)->stats()); });
        return future.get();
    }

private:
    test::LogCapture log_;
    asio::io_context io_;
    std::optional<ProducerSet> set_;
    std::optional<ControlApi> control_;
    std::future<void> finished_;
};

http::response<http::string_body> post_fault(std::uint16_t port, const std::string& name, std::string body) {
    test::Client client(port);
    auto request = test::make_request(http::verb::post, "/producers/" + name + "/faults");
    request.set(http::field::content_type, "application/json");
    request.body() = std::move(body);
    return client.request(std::move(request));
}

http::status bad_request_of(std::uint16_t port, const std::string& name, std::string body) {
    return post_fault(port, name, std::move(body)).result();
}

std::string error_of(const http::response<http::string_body>& response) {
    boost::system::error_code error;
    const auto body = json::parse(response.body(), error);
    if (error || !body.is_object() || !body.as_object().contains("error") || !body.at("error").is_string()) {
        return "<no error field in " + response.body() + ">";
    }
    return std::string(body.at("error").as_string());
}

TEST(FaultsControlTest, PostCloseClosesConnectedSseClientsNow) {
    RunningControl running;
    RawClient a(running.port("stream"));
    a.send(sse_request());
    RawClient b(running.port("stream"));
    b.send(sse_request());
    ASSERT_EQ(read_events(a, 1).size(), 1U);
    ASSERT_EQ(read_events(b, 1).size(), 1U);
    const auto answer = post_fault(running.control_port(), "stream", R"({"kind":"close"})");
    EXPECT_EQ(answer.result(), http::status::accepted) << answer;
    const auto body = json::parse(answer.body());
    EXPECT_EQ(body.at("injected").as_string(), "close");
    EXPECT_EQ(body.at("producer").as_string(), "stream");
    for (auto* client : {&a, &b}) {
        ASSERT_TRUE(client->read_to_end()) << "the cadence is an hour: only the fault closes it";
        EXPECT_EQ(client->end(), asio::error::eof);
        EXPECT_EQ(sse_events(client->received()).size(), 1U) << client->received();
    }
    EXPECT_GE(running.stats("stream").faults_injected, 1U);
}

TEST(FaultsControlTest, PostMalformedWritesTheDefaultBytesBeforeTheNextEvent) {
    RunningControl running;
    RawClient client(running.port("stream"));
    client.send(sse_request());
    ASSERT_EQ(read_events(client, 1).size(), 1U);
    EXPECT_EQ(post_fault(running.control_port(), "stream", R"({"kind":"malformed"})").result(), http::status::accepted);
    test::Client control(running.control_port());
    auto publish = test::make_request(http::verb::post, "/producers/stream/publish");
    publish.set(http::field::content_type, "application/json");
    publish.body() = R"({"data":"next"})";
    EXPECT_EQ(control.request(std::move(publish)).result(), http::status::accepted);
    const auto malformed = faults::default_malformed_sse();
    const auto events = read_events(client, 2, malformed);
    ASSERT_EQ(events.size(), 2U) << client.received();
    EXPECT_EQ(events[1].data, "next");
    const auto& received = client.received();
    EXPECT_EQ(received.substr(events[0].end, events[1].begin - events[0].end), malformed) << received;
}

TEST(FaultsControlTest, BadBodiesAndKindsThatDoNotFitTheProducerGet400WithAMessage) {
    RunningControl running;
    const auto port = running.control_port();
    auto bad = [&](const std::string& name, const std::string& body) {
        const auto answer = post_fault(port, name, body);
        EXPECT_EQ(answer.result(), http::status::bad_request) << body << " -> " << answer;
        return error_of(answer);
    };
    EXPECT_NE(bad("stream", "not json").find("JSON"), std::string::npos);
    EXPECT_NE(bad("stream", "[1]").find("kind"), std::string::npos);
    EXPECT_NE(bad("stream", R"({"duration":"1s"})").find("kind"), std::string::npos);
    EXPECT_NE(bad("stream", R"({"kind":"explode"})").find("explode"), std::string::npos);
    EXPECT_NE(bad("stream", R"({"kind":"stall","duration":"soon"})").find("duration"), std::string::npos);
    EXPECT_NE(bad("stream", R"({"kind":"close","colour":1})").find("colour"), std::string::npos);
    EXPECT_NE(bad("stream", R"({"kind":"torn_write"})"), "");
    // Durations in milliseconds have the same bound as written ones (a year): no overflow later.
    EXPECT_NE(bad("stream", R"({"kind":"stall","duration":10000000000000})").find("duration"), std::string::npos);
    EXPECT_NE(bad("stream", R"({"kind":"stall","duration":9223372036854775807})").find("duration"), std::string::npos);
    EXPECT_NE(bad("stream", R"({"kind":"drip","gap":18446744073709551615})").find("gap"), std::string::npos);
    EXPECT_NE(bad("stream", R"({"kind":"stall","duration":"400d"})").find("duration"), std::string::npos);
    const auto on_fetch = bad("api", R"({"kind":"close"})");
    EXPECT_NE(on_fetch.find("close"), std::string::npos) << on_fetch;
    EXPECT_EQ(post_fault(port, "nobody", R"({"kind":"close"})").result(), http::status::not_found);
    EXPECT_EQ(running.stats("stream").faults_injected, 0U);
    EXPECT_EQ(running.stats("api").faults_injected, 0U);
}

TEST(FaultsControlTest, PostCloseWithACodeClosesWebSocketClients) {
    RunningControl running;
    test::WsClient client(running.port("ws"));
    EXPECT_NO_THROW(client.read());  // the start emission
    EXPECT_EQ(post_fault(running.control_port(), "ws", R"({"kind":"close","close_code":4002})").result(),
              http::status::accepted);
    EXPECT_EQ(client.read_until_error(), boost::beast::websocket::error::closed);
    EXPECT_EQ(client.stream().reason().code, 4002);
    EXPECT_EQ(running.stats("ws").faults_injected, 1U);
    EXPECT_EQ(bad_request_of(running.control_port(), "ws", R"({"kind":"close","close_code":1005})"),
              http::status::bad_request);
    EXPECT_EQ(bad_request_of(running.control_port(), "ws", R"({"kind":"content_type"})"), http::status::bad_request);
}

TEST(FaultsControlTest, PostStatusOnFetchAnswersTheNextRequestOnly) {
    RunningControl running;
    EXPECT_EQ(post_fault(running.control_port(), "api", R"({"kind":"status","status":502})").result(),
              http::status::accepted);
    test::Client client(running.port("api"));
    EXPECT_EQ(client.request(http::verb::get).result(), http::status::bad_gateway);
    EXPECT_EQ(test::Client(running.port("api")).request(http::verb::get).result(), http::status::ok);
    EXPECT_EQ(running.stats("api").faults_injected, 1U);
}

}  // namespace
}  // namespace evsim::producers
