// Scenario SSE producers: retry, keep-alives, id schemes, CRLF framing, several event names, Last-Event-ID
// replay, CORS and measurement metadata, checked on the wire of a real server on 127.0.0.1 port 0.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evsim/core/measurement.hpp"
#include "evsim/core/sse_parser.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;
using scenario::ProducerType;

struct ParsedEvent {
    std::string type;
    std::string data;
    std::string id;
};

struct Collector : sse::ParserHandler {
    void on_event(const sse::Event& event) override {
        events.push_back({std::string(event.type), std::string(event.data), std::string(event.last_event_id)});
    }
    void on_retry(std::uint64_t milliseconds) override { retry = milliseconds; }
    void on_comment(std::string_view text) override { comments.emplace_back(text); }

    std::vector<ParsedEvent> events;
    std::vector<std::string> comments;
    std::optional<std::uint64_t> retry;
};

// What a client received, split into the HTTP header and the parsed body.
struct Received {
    std::string header;  // up to and including the blank line
    std::string body;
    Collector parsed;
};

Received split(const std::string& received) {
    Received out;
    const auto end = received.find("\r\n\r\n");
    if (end == std::string::npos) return out;
    out.header = received.substr(0, end + 4);
    out.body = received.substr(end + 4);
    sse::Parser parser(out.parsed);
    parser.feed(out.body);
    return out;
}

std::size_t events_in(const std::string& received) { return split(received).parsed.events.size(); }

std::string stream_request(std::string_view extra_headers = "") {
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" + std::string(extra_headers) + "\r\n";
}

// Reads a stream until it holds `count` events; fails the test when it does not in time.
Received read_events(test::Client& client, std::size_t count) {
    const auto received = client.read_until([count](const std::string& r) { return events_in(r) >= count; });
    auto out = split(received);
    EXPECT_GE(out.parsed.events.size(), count) << received;
    return out;
}

scenario::ProducerSpec sse_spec() {
    auto spec = test::make_spec("stream", ProducerType::sse);
    spec.payload = payload::Counter{};  // 0, 1, 2, ...: seq - 1 for a single-name producer
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};  // the start emission only
    return spec;
}

std::uint64_t to_u64(const std::string& text) { return std::stoull(text); }

TEST(ScenarioSseTest, RetryLineComesRightAfterTheHeaderInMilliseconds) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.events = {"tick"};
    spec.sse.retry = 2500ms;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const std::string expected_body = "retry: 2500\n\nevent: tick\ndata: 0\n\n";
    const auto received = client.read_until([&](const std::string& r) {
        const auto end = r.find("\r\n\r\n");
        return end != std::string::npos && r.size() - (end + 4) >= expected_body.size();
    });
    const auto stream = split(received);
    EXPECT_EQ(stream.body, expected_body);
    EXPECT_EQ(stream.parsed.retry, 2500U);
    EXPECT_NE(stream.header.find("Content-Type: text/event-stream\r\n"), std::string::npos) << stream.header;
}

TEST(ScenarioSseTest, KeepaliveCommentsWhileIdle) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.sse.keepalive = 20ms;  // the cadence is an hour: idle after the start event
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const std::string keepalive = ": keepalive\n";
    const auto received = client.read_until([&](const std::string& r) {
        const auto body = split(r).body;
        return body.size() >= std::string("data: 0\n\n").size() + 3 * keepalive.size();
    });
    const auto stream = split(received);
    // The latest event at once, then nothing but keep-alive comments.
    EXPECT_EQ(stream.body.substr(0, 9 + keepalive.size()), "data: 0\n\n" + keepalive) << stream.body;
    std::string rest = stream.body.substr(std::string("data: 0\n\n").size());
    ASSERT_GE(rest.size(), 3 * keepalive.size());
    rest.resize(rest.size() - rest.size() % keepalive.size());
    for (std::size_t at = 0; at < rest.size(); at += keepalive.size()) {
        EXPECT_EQ(rest.substr(at, keepalive.size()), keepalive) << stream.body;
    }
    EXPECT_EQ(stream.parsed.events.size(), 1U);
    EXPECT_GE(stream.parsed.comments.size(), 3U);
    for (const auto& comment : stream.parsed.comments) EXPECT_EQ(comment, " keepalive");
}

TEST(ScenarioSseTest, NoKeepaliveWhileEventsFlow) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cadence = cadence::Rate{200};
    spec.sse.keepalive = 200ms;  // many events in every keep-alive period
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    // About 0.6 s of events: at least two keep-alive checks.
    const auto stream = read_events(client, 120);
    EXPECT_NE(stream.body.front(), ':');
    EXPECT_EQ(stream.body.find("\n:"), std::string::npos);
    EXPECT_TRUE(stream.parsed.comments.empty());
}

TEST(ScenarioSseTest, IdSchemeNoneSendsNoIds) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cadence = cadence::Rate{200};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const auto stream = read_events(client, 5);
    EXPECT_EQ(stream.body.find("id:"), std::string::npos) << stream.body;
    for (const auto& event : stream.parsed.events) EXPECT_EQ(event.id, "");
}

TEST(ScenarioSseTest, IdSchemeCounterNumbersEveryEvent) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cadence = cadence::Rate{200};
    spec.sse.id = scenario::SseIdScheme::counter;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const auto stream = read_events(client, 6);
    const auto& events = stream.parsed.events;
    ASSERT_GE(events.size(), 6U);
    const auto first = to_u64(events[0].id);
    EXPECT_GE(first, 1U);
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].id, std::to_string(first + i));
        EXPECT_EQ(events[i].data, std::to_string(first + i - 1));  // the counter starts at 0 with seq 1
    }
    // The wire form: `id:` before `data:`.
    EXPECT_NE(stream.body.find("id: " + events[1].id + "\ndata: " + events[1].data + "\n\n"), std::string::npos);
}

TEST(ScenarioSseTest, IdSchemeMeasurementCarriesSeqAndSendTime) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cadence = cadence::Rate{200};
    spec.sse.id = scenario::SseIdScheme::measurement;
    spec.measurement_metadata = true;  // carried by the id: the data stays bare
    const auto before_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const auto stream = read_events(client, 6);
    const auto after_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::optional<measurement::Stamp> previous;
    for (const auto& event : stream.parsed.events) {
        const auto stamp = measurement::parse_id(event.id);
        ASSERT_TRUE(stamp) << event.id;
        EXPECT_EQ(event.data, std::to_string(stamp->seq - 1));  // no envelope
        EXPECT_GE(stamp->sent_us, before_us);
        EXPECT_LE(stamp->sent_us, after_us);
        if (previous) {
            EXPECT_EQ(stamp->seq, previous->seq + 1);
            EXPECT_GE(stamp->sent_us, previous->sent_us);
        }
        previous = stamp;
    }
}

TEST(ScenarioSseTest, CrlfFramingEndsEveryLineWithCrLf) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.events = {"a", "b"};
    spec.sse.framing = sse::Framing::crlf;
    spec.sse.retry = 1s;
    spec.sse.keepalive = 20ms;
    spec.sse.id = scenario::SseIdScheme::counter;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const std::string expected_start =
        "retry: 1000\r\n\r\n"
        "event: a\r\nid: 1\r\ndata: 0\r\n\r\n"
        "event: b\r\nid: 2\r\ndata: 0\r\n\r\n"
        ": keepalive\r\n";
    const auto received = client.read_until([&](const std::string& r) {
        return split(r).body.size() >= expected_start.size() + std::string(": keepalive\r\n").size();
    });
    const auto stream = split(received);
    EXPECT_EQ(stream.body.substr(0, expected_start.size()), expected_start);
    // Every LF is preceded by CR, and every CR followed by LF (a read may end between the two).
    const auto& body = stream.body;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\n') {
            ASSERT_TRUE(i > 0 && body[i - 1] == '\r') << "bare LF at " << i << " in " << body;
        }
        if (body[i] == '\r' && i + 1 < body.size()) {
            ASSERT_EQ(body[i + 1], '\n') << "bare CR at " << i << " in " << body;
        }
    }
    ASSERT_EQ(stream.parsed.events.size(), 2U);
    EXPECT_EQ(stream.parsed.events[1].type, "b");
    EXPECT_EQ(stream.parsed.retry, 1000U);
}

TEST(ScenarioSseTest, SeveralEventNamesEachWithItsOwnGenerator) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.events = {"temp", "hum", "press"};
    spec.cadence = cadence::FixedInterval{20ms};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const auto stream = read_events(client, 9);
    const auto& events = stream.parsed.events;
    ASSERT_GE(events.size(), 9U);
    // Whole emissions, in the listed order; one counter per name, so the three values of an
    // emission are equal (a shared generator would give n, n+1, n+2) and grow by one per emission.
    const auto first = to_u64(events[0].data);
    for (std::size_t i = 0; i + 3 <= events.size(); i += 3) {
        EXPECT_EQ(events[i].type, "temp");
        EXPECT_EQ(events[i + 1].type, "hum");
        EXPECT_EQ(events[i + 2].type, "press");
        for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(events[i + k].data, std::to_string(first + i / 3)) << i + k;
    }
}

TEST(ScenarioSseTest, NewClientGetsTheLatestOfEachNameAtOnce) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.events = {"temp", "hum", "press"};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    {
        test::Client client(running.port("stream"));
        client.send(stream_request());
        const std::string expected = "event: temp\ndata: 0\n\nevent: hum\ndata: 0\n\nevent: press\ndata: 0\n\n";
        const auto received = client.read_until([&](const std::string& r) { return split(r).body.size() >= expected.size(); });
        EXPECT_EQ(split(received).body, expected);
    }
    running.publish("stream", "hum", "55");
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const std::string expected = "event: temp\ndata: 0\n\nevent: hum\ndata: 55\n\nevent: press\ndata: 0\n\n";
    const auto received = client.read_until([&](const std::string& r) { return split(r).body.size() >= expected.size(); });
    EXPECT_EQ(split(received).body, expected);
}

TEST(ScenarioSseTest, LastEventIdReplaysExactlyTheMissedEvents) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cadence = cadence::FixedInterval{20ms};
    spec.sse.id = scenario::SseIdScheme::counter;
    spec.sse.replay.enabled = true;
    spec.sse.replay.max_events = 1000;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    std::string last_id;
    {
        test::Client client(running.port("stream"));
        client.send(stream_request());
        const auto stream = read_events(client, 3);
        ASSERT_GE(stream.parsed.events.size(), 3U);
        last_id = stream.parsed.events.back().id;
    }  // disconnected
    const auto last = to_u64(last_id);
    // Wait until at least five more events went out while nobody was connected.
    ASSERT_TRUE(running.eventually([&](ProducerSet& set) { return set.find("stream")->stats().events_published >= last + 5; }));
    const auto published = running.stats("stream").events_published;
    test::Client client(running.port("stream"));
    client.send(stream_request("Last-Event-ID: " + last_id + "\r\n"));
    const auto stream = read_events(client, published - last + 2);
    const auto& events = stream.parsed.events;
    ASSERT_GE(events.size(), published - last);
    // The missed events in order (no latest-value preamble first), then the live ones without a gap.
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].id, std::to_string(last + 1 + i)) << stream.body;
        EXPECT_EQ(events[i].data, std::to_string(last + i)) << stream.body;
    }
}

TEST(ScenarioSseTest, LastEventIdWithMeasurementIdsReplaysTheMissedEvents) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.sse.id = scenario::SseIdScheme::measurement;
    spec.sse.replay.enabled = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    std::string first_id;
    {
        test::Client client(running.port("stream"));
        client.send(stream_request());
        const auto stream = read_events(client, 1);
        ASSERT_EQ(stream.parsed.events.size(), 1U);
        first_id = stream.parsed.events[0].id;
        ASSERT_TRUE(measurement::parse_id(first_id)) << first_id;
    }
    running.publish("stream", "", "a");
    running.publish("stream", "", "b");
    test::Client client(running.port("stream"));
    client.send(stream_request("Last-Event-ID: " + first_id + "\r\n"));
    const auto stream = read_events(client, 2);
    ASSERT_EQ(stream.parsed.events.size(), 2U) << stream.body;
    EXPECT_EQ(stream.parsed.events[0].data, "a");
    EXPECT_EQ(stream.parsed.events[1].data, "b");
    EXPECT_EQ(measurement::parse_id(stream.parsed.events[0].id)->seq, 2U);
    EXPECT_EQ(measurement::parse_id(stream.parsed.events[1].id)->seq, 3U);
}

TEST(ScenarioSseTest, UnknownLastEventIdGetsTheLatestValues) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.events = {"a", "b"};
    spec.sse.id = scenario::SseIdScheme::counter;
    spec.sse.replay.enabled = true;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    running.publish("stream", "a", "7");  // id 3: the latest "a"
    test::Client client(running.port("stream"));
    client.send(stream_request("Last-Event-ID: 12345\r\n"));
    const std::string expected = "event: a\nid: 3\ndata: 7\n\nevent: b\nid: 2\ndata: 0\n\n";
    const auto received = client.read_until([&](const std::string& r) { return split(r).body.size() >= expected.size(); });
    EXPECT_EQ(split(received).body, expected);
}

scenario::CorsPolicy strict_cors() {
    scenario::CorsPolicy cors;
    cors.allow_origins = {"https://a.example", "http://localhost:3000"};
    cors.allow_credentials = true;
    cors.allow_headers = {"Last-Event-ID", "X-Token"};
    cors.max_age = std::chrono::seconds(600);
    return cors;
}

TEST(ScenarioSseTest, CorsListedOriginIsEchoedWithCredentials) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cors = strict_cors();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request("Origin: http://localhost:3000\r\n"));
    const auto stream = read_events(client, 1);
    EXPECT_NE(stream.header.find("\r\nAccess-Control-Allow-Origin: http://localhost:3000\r\n"), std::string::npos)
        << stream.header;
    EXPECT_NE(stream.header.find("\r\nVary: Origin\r\n"), std::string::npos) << stream.header;
    EXPECT_NE(stream.header.find("\r\nAccess-Control-Allow-Credentials: true\r\n"), std::string::npos) << stream.header;
    EXPECT_EQ(stream.header.find("Access-Control-Allow-Origin: *"), std::string::npos) << stream.header;
}

TEST(ScenarioSseTest, CorsUnlistedOriginGetsNoAllowOrigin) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cors = strict_cors();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request("Origin: https://evil.example\r\n"));
    const auto stream = read_events(client, 1);  // the stream itself is served: CORS is the browser's call
    EXPECT_EQ(stream.header.find("Access-Control-Allow-Origin"), std::string::npos) << stream.header;
    EXPECT_EQ(stream.header.find("Access-Control-Allow-Credentials"), std::string::npos) << stream.header;
    EXPECT_NE(stream.header.find("\r\nVary: Origin\r\n"), std::string::npos) << stream.header;
    // HEAD follows the same policy.
    test::Client head(running.port("stream"));
    auto request = test::make_request(http::verb::head);
    request.set(http::field::origin, "https://evil.example");
    const auto response = head.request(request);
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_EQ(response.count(http::field::access_control_allow_origin), 0U);
}

TEST(ScenarioSseTest, CorsPreflightAnswersMethodsHeadersAndMaxAge) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cors = strict_cors();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    auto request = test::make_request(http::verb::options);
    request.set(http::field::origin, "https://a.example");
    request.set(http::field::access_control_request_method, "GET");
    request.set(http::field::access_control_request_headers, "last-event-id");
    const auto response = client.request(request);
    EXPECT_EQ(response.result(), http::status::no_content);
    EXPECT_EQ(response[http::field::access_control_allow_origin], "https://a.example");
    EXPECT_EQ(response[http::field::access_control_allow_credentials], "true");
    EXPECT_EQ(response[http::field::vary], "Origin");
    EXPECT_EQ(response[http::field::access_control_allow_methods], "GET, HEAD, OPTIONS");
    EXPECT_EQ(response[http::field::access_control_allow_headers], "Last-Event-ID, X-Token");
    EXPECT_EQ(response[http::field::access_control_max_age], "600");
    EXPECT_TRUE(response.body().empty());
    // An unlisted origin's preflight allows nothing.
    request.set(http::field::origin, "https://evil.example");
    const auto refused = client.request(request);
    EXPECT_EQ(refused.count(http::field::access_control_allow_origin), 0U);
}

TEST(ScenarioSseTest, MeasurementMetadataWrapsDataInTheEnvelope) {
    test::LogCapture log;
    auto spec = sse_spec();
    spec.cadence = cadence::Rate{200};
    spec.measurement_metadata = true;
    spec.sse.id = scenario::SseIdScheme::counter;  // not measurement: the envelope carries the stamp
    const auto before_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    test::Client client(running.port("stream"));
    client.send(stream_request());
    const auto stream = read_events(client, 6);
    const auto after_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::optional<measurement::Stamp> previous;
    for (const auto& event : stream.parsed.events) {
        const auto envelope = measurement::parse_envelope(event.data);
        ASSERT_TRUE(envelope) << event.data;
        EXPECT_EQ(std::string(envelope->data), std::to_string(envelope->stamp.seq - 1));
        EXPECT_EQ(event.id, std::to_string(envelope->stamp.seq));
        EXPECT_GE(envelope->stamp.sent_us, before_us);
        EXPECT_LE(envelope->stamp.sent_us, after_us);
        if (previous) {
            EXPECT_EQ(envelope->stamp.seq, previous->seq + 1);
            EXPECT_GE(envelope->stamp.sent_us, previous->sent_us);
        }
        previous = envelope->stamp;
    }
    // The exact envelope text of one event.
    const auto& first = stream.parsed.events.front();
    const auto stamp = measurement::parse_envelope(first.data)->stamp;
    EXPECT_EQ(first.data, "{\"evsim_seq\":" + std::to_string(stamp.seq) + ",\"evsim_sent_us\":" +
                              std::to_string(stamp.sent_us) + ",\"data\":" + std::to_string(stamp.seq - 1) + "}");
}

}  // namespace
}  // namespace evsim::producers
