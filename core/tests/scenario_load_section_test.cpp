// The `load:` section: what it means when right, and every mistake reported at its node.
#include <gtest/gtest.h>

#include "evsim/core/scenario.hpp"

namespace sc = evsim::scenario;
using namespace std::chrono_literals;

namespace {

std::string error_of(const std::string& yaml) {
    try {
        sc::parse_scenario(yaml, "l.yaml");
    } catch (const sc::ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

// A scenario with an SSE producer `p` and a load section whose users are `users` (from line 5).
std::string load_error(const std::string& users, const std::string& rest = "") {
    return error_of("producers:\n  - {name: p, type: sse}\nload:\n  users:\n" + users + rest);
}

}  // namespace

TEST(ScenarioLoad, AFullSectionMeansWhatItSays) {
    const auto s = sc::parse_scenario(R"(producers:
  - {name: p, type: sse}
  - {name: w, type: ws}
load:
  users:
    - name: viewers
      browser: false
      sources:
        - p
        - {producer: w, reconnect: {delay: 500ms, max_delay: 4s, backoff: 3, max_attempts: 5}}
        - {url: "http://127.0.0.1:9/x", type: fetch, interval: 250ms, timeout: 2s, headers: {X-A: b}}
        - {url: /tmp/f.txt, interval: 2s}
        - {url: "wss://h:1/", insecure: true}
      stages:
        - {ramp: 10, over: 5s}
        - {hold: 1m}
        - {ramp: 0, over: 2s}
    - name: visitors
      dashboard: config.js
      max_vus: 30
      stages:
        - {arrival: 120/m, for: 10s, stay: 3s}
  thresholds:
    - latency.p99 < 50ms
    - "events.lost == 0"
  abort_on_breach: true
)",
                                      "l.yaml");
    ASSERT_TRUE(s.load);
    const auto& load = *s.load;
    ASSERT_EQ(load.users.size(), 2u);
    const auto& viewers = load.users[0];
    EXPECT_EQ(viewers.browser, false);
    ASSERT_EQ(viewers.sources.size(), 5u);
    EXPECT_EQ(viewers.sources[0].producer, "p");
    EXPECT_EQ(viewers.sources[0].type, sc::ProducerType::sse);
    EXPECT_EQ(viewers.sources[1].type, sc::ProducerType::ws);
    EXPECT_EQ(viewers.sources[1].reconnect.delay, 500ms);
    EXPECT_EQ(viewers.sources[1].reconnect.max_delay, 4s);
    EXPECT_EQ(viewers.sources[1].reconnect.backoff, 3.0);
    EXPECT_EQ(viewers.sources[1].reconnect.max_attempts, 5u);
    EXPECT_EQ(viewers.sources[2].type, sc::ProducerType::fetch);
    EXPECT_EQ(viewers.sources[2].interval, 250ms);
    EXPECT_EQ(viewers.sources[2].timeout, 2s);
    ASSERT_EQ(viewers.sources[2].headers.size(), 1u);
    EXPECT_EQ(viewers.sources[2].headers[0].first, "X-A");
    EXPECT_EQ(viewers.sources[3].type, sc::ProducerType::file);  // from the path
    EXPECT_EQ(viewers.sources[4].type, sc::ProducerType::ws);    // from the scheme
    EXPECT_TRUE(viewers.sources[4].insecure);
    ASSERT_EQ(viewers.stages.size(), 3u);
    EXPECT_EQ(viewers.stages[0].kind, sc::LoadStage::Kind::ramp);
    EXPECT_EQ(viewers.stages[0].target, 10u);
    EXPECT_EQ(viewers.stages[1].duration, 60s);
    const auto& visitors = load.users[1];
    EXPECT_EQ(visitors.dashboard, "config.js");
    EXPECT_FALSE(visitors.browser);  // absent: decided by the runner (on for dashboards)
    EXPECT_EQ(visitors.max_vus, 30u);
    EXPECT_DOUBLE_EQ(visitors.stages[0].rate, 2.0);
    EXPECT_EQ(visitors.stages[0].stay, 3s);
    ASSERT_EQ(load.thresholds.size(), 2u);
    EXPECT_EQ(load.thresholds[0].rule.metric, "latency.p99");
    EXPECT_EQ(load.thresholds[1].line, 25);
    EXPECT_TRUE(load.abort_on_breach);
}

TEST(ScenarioLoad, ALoadSectionNeedsNoProducers) {
    const auto s = sc::parse_scenario(
        "load:\n  users:\n    - name: g\n      sources: [{url: 'http://127.0.0.1:1/', type: sse}]\n"
        "      stages: [{hold: 1s}]\n",
        "l.yaml");
    EXPECT_TRUE(s.producers.empty());
    ASSERT_TRUE(s.load);
}

TEST(ScenarioLoad, MistakesPointAtTheirNode) {
    EXPECT_EQ(error_of("producers:\n  - {name: p, type: sse}\nload: 3\n"),
              "l.yaml:3:7: load: expected a mapping with 'users', got '3'");
    EXPECT_EQ(error_of("producers:\n  - {name: p, type: sse}\nload: {user: []}\n"),
              "l.yaml:3:8: unknown key 'user' in load (did you mean 'users'?)");
    EXPECT_EQ(load_error("    - {name: g, stages: [{hold: 1s}]}\n"),
              "l.yaml:5:7: user group 'g': give exactly one of 'sources' and 'dashboard'");
    EXPECT_EQ(load_error("    - {name: g, sources: [q], stages: [{hold: 1s}]}\n"),
              "l.yaml:5:27: source: no producer named 'q' in this scenario");
    EXPECT_EQ(load_error("    - {name: g, sources: [p]}\n"), "l.yaml:5:7: user group 'g': missing required key 'stages'");
    EXPECT_EQ(load_error("    - {name: g, sources: [p], stages: []}\n"),
              "l.yaml:5:39: stages: expected a list of at least one stage, got a list");
    EXPECT_EQ(load_error("    - {name: g, sources: [p], stages: [{hold: 1s, ramp: 2}]}\n"),
              "l.yaml:5:40: stage: give exactly one of 'ramp: VUS', 'hold: TIME' and 'arrival: RATE'");
    EXPECT_EQ(load_error("    - {name: g, sources: [p], stages: [{arrival: 5/x, for: 1s, stay: 1s}]}\n"),
              "l.yaml:5:50: arrival: unknown unit '/x' (use /s, /m or /h)");
    EXPECT_EQ(load_error("    - {name: g, sources: [p], stages: [{arrival: -1, for: 1s, stay: 1s}]}\n"),
              "l.yaml:5:50: arrival: expected a rate like 10/s, 600/m or 0.5, got '-1'");
    EXPECT_EQ(load_error("    - {name: g, sources: [p], stages: [{arrival: 5/s, stay: 1s}]}\n"),
              "l.yaml:5:40: stage: an arrival stage needs 'for: TIME'");
    EXPECT_EQ(load_error("    - {name: g, sources: [p], stages: [{arrival: 100000/s, for: 1h, stay: 1s}]}\n"),
              "l.yaml:5:40: stage: 360000000 arrivals; the limit is 1000000 per stage");
    EXPECT_EQ(load_error("    - {name: g, sources: [p], stages: [{ramp: 2000000}]}\n"),
              "l.yaml:5:47: ramp: expected an integer from 0 to 1000000, got '2000000'");
    EXPECT_EQ(load_error("    - {name: g, sources: [{url: 'http://h/'}], stages: [{hold: 1s}]}\n"),
              "l.yaml:5:27: source: an http(s) URL needs 'type: sse' or 'type: fetch'");
    EXPECT_EQ(load_error("    - {name: g, sources: [{url: 'ws://h/', type: sse}], stages: [{hold: 1s}]}\n"),
              "l.yaml:5:50: type: sse does not match the URL 'ws://h/'");
    EXPECT_EQ(load_error("    - {name: g, sources: [{url: 'ftp://h/'}], stages: [{hold: 1s}]}\n"),
              "l.yaml:5:33: url: expected http://, https://, ws://, wss://, file:// or an absolute path, got 'ftp://h/'");
    EXPECT_EQ(load_error("    - {name: g, sources: [{producer: p, url: 'ws://h/'}], stages: [{hold: 1s}]}\n"),
              "l.yaml:5:27: source: give exactly one of 'producer' and 'url'");
    EXPECT_EQ(load_error("    - {name: g, sources: [{producer: p, reconnect: {delay: 5s, max_delay: 1s}}], stages: [{hold: 1s}]}\n"),
              "l.yaml:5:52: reconnect: max_delay is shorter than delay");
    EXPECT_EQ(load_error("    - {name: g, sources: [p], stages: [{hold: 1s}]}\n    - {name: g, sources: [p], stages: [{hold: 1s}]}\n"),
              "l.yaml:6:14: duplicate user group name 'g' (first at line 5)");
}

TEST(ScenarioLoad, ThresholdMistakesPointIntoTheText) {
    const std::string users = "    - {name: g, sources: [p], stages: [{hold: 1s}]}\n";
    EXPECT_EQ(load_error(users, "  thresholds:\n    - latency.p99 <> 5ms\n"),
              "l.yaml:7:20: threshold: '> 5ms' is not a number, a duration (50ms, 2s) or a percentage (1%)");
    EXPECT_EQ(load_error(users, "  thresholds:\n    - \"latency.p99 ! 5ms\"\n"),
              "l.yaml:7:20: threshold: expected a comparison (<, <=, >, >=, ==, !=) after 'latency.p99'");
    EXPECT_EQ(load_error(users, "  thresholds: latency.p99 < 5ms\n"),
              "l.yaml:6:15: thresholds: expected a list like ['latency.p99 < 50ms'], got 'latency.p99 < 5ms'");
}
