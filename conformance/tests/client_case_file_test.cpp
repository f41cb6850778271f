// The case file format: every key read, defaults, and each mistake reported at its place.
#include <gtest/gtest.h>

#include "evsim/conformance/client_case.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;

std::string error_of(const std::string& yaml) {
    try {
        parse_client_case(yaml, "c.yaml");
    } catch (const CaseError& e) {
        return e.what();
    }
    return "no error";
}

const std::string kMinimal = "id: a.b\ntitle: T\nclause: C\nserver: [{}]\nexpect: {}\n";

TEST(ClientCaseFile, ReadsEveryKey) {
    const auto c = parse_client_case(R"(id: reconnect.x
title: Reconnects
clause: "WHATWG HTML 9.2.3"
level: SHOULD
listen: [message, tick]
timeout: 6s
watch: 1s
server:
  - headers: {Content-Type: "text/event-stream; charset=utf-8", X-A: b}
    body: ["data: a\n\n", {after: 50ms, text: "da"}, {hex: "74 61 0a"}, {text: xy, repeat: 3}]
    end: reset
  - status: 204
  - head: "HTTP/1.1 200 OK\r\n\r\n"
    end: hang
expect:
  events: [{data: a}, {type: tick, data: b, lastEventId: "7"}, {data: z, repeat: 2}]
  opens: 2
  final_ready_state: 0
  requests: 3
  reconnect_delay: {min: 100ms, max: 2s}
  request_headers:
    - {attempt: 2, name: Last-Event-ID, equals: "7"}
    - {name: Accept, contains: text/event-stream}
    - {attempt: 1, name: Last-Event-ID, absent: true}
)",
                                   "c.yaml");
    EXPECT_EQ(c.id, "reconnect.x");
    EXPECT_EQ(c.level, Level::should);
    EXPECT_EQ(c.listen, (std::vector<std::string>{"message", "tick"}));
    EXPECT_EQ(c.timeout, 6s);
    EXPECT_EQ(c.watch, 1s);
    ASSERT_EQ(c.attempts.size(), 3U);
    EXPECT_EQ(c.attempts[0].head,
              "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nX-A: b\r\nConnection: close\r\n\r\n");
    ASSERT_EQ(c.attempts[0].body.size(), 4U);
    EXPECT_EQ(c.attempts[0].body[1].delay, 50ms);
    EXPECT_EQ(c.attempts[0].body[2].bytes, "ta\n");
    EXPECT_EQ(c.attempts[0].body[3].bytes, "xyxyxy");
    EXPECT_EQ(c.attempts[0].ending, Ending::reset);
    EXPECT_EQ(c.attempts[1].head, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(c.attempts[1].ending, Ending::close);
    EXPECT_EQ(c.attempts[2].head, "HTTP/1.1 200 OK\r\n\r\n");
    ASSERT_TRUE(c.events);
    ASSERT_EQ(c.events->size(), 3U);
    EXPECT_EQ((*c.events)[1].type, "tick");
    EXPECT_EQ((*c.events)[1].last_event_id, "7");
    EXPECT_EQ((*c.events)[2].data, "zz");
    EXPECT_EQ(c.opens, 2U);
    EXPECT_EQ(c.final_ready_state, 0);
    EXPECT_EQ(c.requests, 3U);
    EXPECT_EQ(c.reconnect_min, 100ms);
    EXPECT_EQ(c.reconnect_max, 2s);
    ASSERT_EQ(c.request_headers.size(), 3U);
    EXPECT_EQ(c.request_headers[1].attempt, 1U);
    EXPECT_EQ(c.request_headers[1].test, ExpectedHeader::Test::contains);
    EXPECT_EQ(c.request_headers[2].test, ExpectedHeader::Test::absent);
}

TEST(ClientCaseFile, ReadsABrowserPageCase) {
    const auto c = parse_client_case("id: a.b\ntitle: T\nclause: C\nserver: [{}]\n"
                                     "browser: {event_sources: 7, websockets: 3}\nexplain: what it means\n"
                                     "expect: {opens: 6, websocket_opens: 3, concurrent: 6}\n",
                                     "c.yaml");
    ASSERT_TRUE(c.browser);
    EXPECT_EQ(c.browser->event_sources, 7U);
    EXPECT_EQ(c.browser->websockets, 3U);
    EXPECT_EQ(c.explain, "what it means");
    EXPECT_EQ(c.websocket_opens, 3U);
    EXPECT_EQ(c.concurrent, 6U);
    EXPECT_FALSE(parse_client_case(kMinimal, "c.yaml").browser);  // other cases run with any client
}

TEST(ClientCaseFile, DefaultsAreAPlainEventStream) {
    const auto c = parse_client_case(kMinimal, "c.yaml");
    EXPECT_EQ(c.level, Level::must);
    EXPECT_EQ(c.listen, std::vector<std::string>{"message"});
    EXPECT_EQ(c.timeout, 4s);
    EXPECT_EQ(c.attempts[0].head,
              "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n");
    EXPECT_FALSE(c.events);
    EXPECT_FALSE(c.throughput);
    const auto t = parse_client_case("id: t\ntitle: T\nclause: C\nserver: [{}]\nexpect: {}\nthroughput: {events: 10, rate: 5}\n", "c");
    ASSERT_TRUE(t.throughput);
    EXPECT_EQ(t.throughput->events, 10U);
}

TEST(ClientCaseFile, MistakesAreReportedAtTheirPlace) {
    EXPECT_EQ(error_of("id: a\n"), "c.yaml:1:1: case: 'title' is required");
    EXPECT_EQ(error_of(kMinimal + "colour: red\n"), "c.yaml:6:1: unknown key 'colour' in case");
    EXPECT_EQ(error_of("id: a b\ntitle: T\nclause: C\nserver: [{}]\nexpect: {}\n"), "c.yaml:1:5: id: no spaces or slashes");
    EXPECT_EQ(error_of(kMinimal + "level: MAY\n"), "c.yaml:6:8: level: expected MUST, SHOULD or INFO, got 'MAY'");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: []\nexpect: {}\n"),
              "c.yaml:4:9: server: expected a list of at least one attempt");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{end: later}]\nexpect: {}\n"),
              "c.yaml:4:16: end: expected close, reset or hang, got 'later'");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{body: [{hex: 'zz'}]}]\nexpect: {}\n"),
              "c.yaml:4:24: hex: 'z' is not a hex digit");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{body: [{hex: 'abc'}]}]\nexpect: {}\n"),
              "c.yaml:4:24: hex: an odd number of digits");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{status: 99}]\nexpect: {}\n"),
              "c.yaml:4:19: status: expected 100..599");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{head: x, status: 200}]\nexpect: {}\n"),
              "c.yaml:4:17: head: a verbatim head replaces status and headers");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{body: [{after: soon}]}]\nexpect: {}\n").substr(0, 20),
              "c.yaml:4:26: after: ");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{}]\nexpect: {final_ready_state: 1}\n"),
              "c.yaml:5:29: final_ready_state: an error leaves 0 (reconnecting) or 2 (closed)");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{}]\nexpect: {request_headers: [{name: A, attempt: 0, absent: true}]}\n"),
              "c.yaml:5:47: attempt: the first request is attempt 1");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{}]\nexpect: {request_headers: [{name: A}]}\n"),
              "c.yaml:5:28: request header: exactly one of equals, contains, absent");
    EXPECT_EQ(error_of(kMinimal + "timeout: 1s\nwatch: 2s\n"), "c.yaml:7:8: watch: longer than the timeout (1000 ms)");
    EXPECT_EQ(error_of(kMinimal + "listen: ['a,b']\n"), "c.yaml:6:10: listen: event types without commas, spaces or line breaks");
    EXPECT_EQ(error_of("id: [\n"), "c.yaml:2:1: end of sequence flow not found");
    EXPECT_EQ(error_of(kMinimal + "browser: {event_sources: 0}\n"), "c.yaml:6:10: browser.event_sources: at least 1");
    EXPECT_EQ(error_of(kMinimal + "browser: {tabs: 2}\n"), "c.yaml:6:11: unknown key 'tabs' in browser");
    EXPECT_EQ(error_of(kMinimal + "browser: {websockets: 101}\n").substr(0, 14), "c.yaml:6:23: b");
    EXPECT_EQ(error_of("id: a\ntitle: T\nclause: C\nserver: [{}]\nexpect: {websocket_opens: 1}\n"),
              "c.yaml:5:27: websocket_opens: the case's browser page opens no WebSockets");
}

TEST(ClientCaseFile, TheShippedSuiteLoads) {
    const auto cases = load_client_cases(EVSIM_CASES_DIR);
    EXPECT_GE(cases.size(), 30U);
    for (std::size_t i = 1; i < cases.size(); ++i) EXPECT_LT(cases[i - 1].id, cases[i].id);
    for (const auto& c : cases) {
        EXPECT_FALSE(c.clause.empty()) << c.id;
        EXPECT_TRUE(c.events || c.requests || c.opens || c.final_ready_state) << c.id << " expects nothing";
    }
}

}  // namespace
}  // namespace evsim::conformance
