// Fault specs: triggers (FaultClock), checks (validate) and the scenario's `faults:` list.
#include "evsim/core/faults.hpp"

#include <gtest/gtest.h>

#include "evsim/core/scenario.hpp"
#include "evsim/core/sse_parser.hpp"

namespace evsim::faults {
namespace {

using namespace std::chrono_literals;

std::vector<std::uint64_t> firings(const Trigger& trigger, int counts, std::uint64_t seed = 1) {
    FaultClock clock(trigger, seed);
    std::vector<std::uint64_t> fired;
    for (int i = 1; i <= counts; ++i) {
        if (clock.count()) fired.push_back(static_cast<std::uint64_t>(i));
    }
    return fired;
}

TEST(FaultClockTest, AfterFiresOnceAtTheNthCount) {
    Trigger t;
    t.after = 3;
    EXPECT_EQ(firings(t, 10), (std::vector<std::uint64_t>{3}));
}

TEST(FaultClockTest, EveryFiresPeriodicallyUpToTimes) {
    Trigger t;
    t.every = 4;
    EXPECT_EQ(firings(t, 13), (std::vector<std::uint64_t>{4, 8, 12}));
    t.times = 2;
    EXPECT_EQ(firings(t, 13), (std::vector<std::uint64_t>{4, 8}));
}

TEST(FaultClockTest, ProbabilityIsSeededAndRoughlyRight) {
    Trigger t;
    t.probability = 0.25;
    const auto a = firings(t, 10'000, 7);
    EXPECT_EQ(a, firings(t, 10'000, 7));  // same seed, same firings
    EXPECT_NE(a, firings(t, 10'000, 8));
    EXPECT_GT(a.size(), 2'200U);
    EXPECT_LT(a.size(), 2'800U);
    t.probability = 1.0;
    EXPECT_EQ(firings(t, 5).size(), 5U);
}

TEST(FaultClockTest, AtIsDueOnceWhenTheTimeHasCome) {
    Trigger t;
    t.at = 2s;
    FaultClock clock(t, 1);
    EXPECT_FALSE(clock.count());
    EXPECT_FALSE(clock.due(1999ms));
    EXPECT_TRUE(clock.due(2s));
    EXPECT_FALSE(clock.due(3s));
    EXPECT_EQ(clock.fired(), 1U);
}

FaultSpec with(Kind kind, auto&& adjust) {
    FaultSpec fault;
    fault.kind = kind;
    fault.trigger.after = 1;
    adjust(fault);
    return fault;
}

std::string error_of(const FaultSpec& fault, std::string_view type) {
    try {
        validate(fault, type);
    } catch (const SpecError& e) {
        return e.what();
    }
    return "no error";
}

TEST(FaultValidateTest, KindsMustFitTheProducerType) {
    EXPECT_EQ(error_of(with(Kind::close, [](auto&) {}), "fetch"),
              "close: acts on streaming connections; fetch producers have none");
    EXPECT_EQ(error_of(with(Kind::status, [](auto&) {}), "file"), "status: acts on requests; file producers answer none");
    EXPECT_EQ(error_of(with(Kind::torn_write, [](auto&) {}), "sse"), "torn_write: only for file producers");
    EXPECT_EQ(error_of(with(Kind::close, [](auto&) {}), "ws"), "no error");
    EXPECT_EQ(error_of(with(Kind::status, [](auto&) {}), "fetch"), "no error");
    EXPECT_EQ(error_of(with(Kind::torn_write, [](auto&) {}), "file"), "no error");
}

TEST(FaultValidateTest, TriggersAndParameters) {
    EXPECT_EQ(error_of(with(Kind::close, [](auto& f) { f.trigger.every = 2; }), "sse"),
              "close: needs exactly one trigger: after, every, at or probability");
    EXPECT_EQ(error_of(with(Kind::stall, [](auto& f) { f.duration = 0s; }), "sse"),
              "stall: duration must be longer than 0");
    EXPECT_EQ(error_of(with(Kind::split, [](auto& f) { f.at_bytes = {5, 3}; }), "sse"),
              "split: at_bytes must be ascending positions from 1");
    EXPECT_EQ(error_of(with(Kind::split, [](auto&) {}), "sse"), "split: at_bytes needs at least one position");
    EXPECT_EQ(error_of(with(Kind::status, [](auto& f) { f.status = 302; }), "sse"),
              "status: status must be 200..299 or 400..599 (got 302); use redirect for 3xx");
    EXPECT_EQ(error_of(with(Kind::redirect, [](auto& f) { f.status = 300; }), "sse"),
              "redirect: status must be 301, 302, 303, 307 or 308 (got 300)");
    EXPECT_EQ(error_of(with(Kind::redirect, [](auto& f) { f.status = 307; f.location = "/a\r\nX: y"; }), "sse"),
              "redirect: location must be a URL without line breaks");
    EXPECT_EQ(error_of(with(Kind::close, [](auto& f) { f.close_code = 1006; }), "ws"),
              "close: close_code must be a code a server may send: 1000..4999 except 1005, 1006 and 1015");
    EXPECT_EQ(error_of(with(Kind::drip, [](auto& f) { f.chunk = 0; }), "sse"), "drip: chunk must be 1..65536 bytes");
}

// What the default malformed block does to a conformant parser: one event, nothing else changed.
TEST(FaultMalformedTest, DefaultBlockParsesAsTheHeaderSays) {
    struct Handler : sse::ParserHandler {
        void on_event(const sse::Event& event) override { events.emplace_back(event.type, event.data); }
        void on_retry(std::uint64_t) override { ++retries; }
        std::vector<std::pair<std::string, std::string>> events;
        int retries = 0;
    } handler;
    sse::Parser parser(handler);
    ASSERT_EQ(parser.feed(default_malformed_sse()), sse::ParseError::none);
    ASSERT_EQ(handler.events.size(), 1U);
    EXPECT_EQ(handler.events[0].first, "bare");
    EXPECT_EQ(handler.events[0].second, "\xEF\xBF\xBD\xEF\xBF\xBD invalid UTF-8");
    EXPECT_EQ(handler.retries, 0);
    EXPECT_EQ(parser.last_event_id(), "");
}

std::string scenario_error(const std::string& faults, const std::string& type = "sse") {
    try {
        scenario::parse_scenario("producers:\n  - name: p\n    type: " + type +
                                     (type == "file" ? "\n    file: {path: x}" : "") + "\n    faults:\n" + faults,
                                 "f.yaml");
    } catch (const scenario::ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ScenarioFaultsTest, ReadsEveryKindWithItsParameters) {
    const auto s = scenario::parse_scenario(
        "producers:\n"
        "  - name: p\n    type: sse\n    faults:\n"
        "      - {kind: close, after: 10}\n"
        "      - {kind: stall, every: 3, duration: 2s, scope: producer, times: 4}\n"
        "      - {kind: split, at_bytes: [3, 7], gap: 5ms, probability: 0.5}\n"
        "      - {kind: malformed, at: 1s}\n"
        "      - {kind: redirect, location: /other, after: 1}\n"
        "      - {kind: drip, chunk: 2, gap: 10ms, duration: 1s, after: 2}\n",
        "ok.yaml");
    const auto& f = s.producers.at(0).faults;
    ASSERT_EQ(f.size(), 6U);
    EXPECT_EQ(f[0].kind, Kind::close);
    EXPECT_EQ(f[0].trigger.after, 10U);
    EXPECT_EQ(f[1].scope, Scope::producer);
    EXPECT_EQ(f[1].trigger.times, 4U);
    EXPECT_EQ(f[1].duration, 2s);
    EXPECT_EQ(f[2].at_bytes, (std::vector<std::size_t>{3, 7}));
    EXPECT_EQ(f[2].trigger.probability, 0.5);
    EXPECT_EQ(f[3].bytes, default_malformed_sse());
    EXPECT_EQ(f[3].trigger.at, 1s);
    EXPECT_EQ(f[4].status, 307);
    EXPECT_EQ(f[4].location, "/other");
    EXPECT_EQ(f[5].chunk, 2U);
}

TEST(ScenarioFaultsTest, MistakesHaveTheirPosition) {
    EXPECT_EQ(scenario_error("      - {kind: cluse, after: 1}\n"),
              "f.yaml:5:16: faults.kind: expected close, reset, stall, drip, split, malformed, status, redirect, "
              "content_type or torn_write, got 'cluse' (did you mean 'close'?)");
    EXPECT_EQ(scenario_error("      - {kind: close}\n"),
              "f.yaml:5:9: faults: needs exactly one trigger of after, every, at or probability (got 0)");
    EXPECT_EQ(scenario_error("      - {kind: close, after: 1, every: 2}\n"),
              "f.yaml:5:9: faults: needs exactly one trigger of after, every, at or probability (got 2)");
    EXPECT_EQ(scenario_error("      - {kind: close, after: 1, duration: 2s}\n"),
              "f.yaml:5:33: faults: 'duration' is not a parameter of close faults");
    EXPECT_EQ(scenario_error("      - {kind: close, after: 1}\n", "fetch"),
              "f.yaml:5:9: faults: close: acts on streaming connections; fetch producers have none");
    EXPECT_EQ(scenario_error("      - {kind: stall, after: 0}\n"),
              "f.yaml:5:30: faults.after: expected an integer from 1 to 9223372036854775807, got '0'");
    EXPECT_EQ(scenario_error("      - {kind: close, probability: 1.5}\n"),
              "f.yaml:5:36: faults.probability: must be greater than 0 and at most 1, got '1.5'");
    EXPECT_EQ(scenario_error("      kind: close\n"), "f.yaml:5:7: faults: expected a list of faults, got a mapping");
}

}  // namespace
}  // namespace evsim::faults

namespace evsim::faults {
namespace {

TEST(FaultKindTest, ParseKindIsTheInverseOfToString) {
    for (const Kind kind : {Kind::close, Kind::reset, Kind::stall, Kind::drip, Kind::split, Kind::malformed,
                            Kind::status, Kind::redirect, Kind::content_type, Kind::torn_write}) {
        EXPECT_EQ(parse_kind(to_string(kind)), kind);
    }
    for (const char* text : {"", "Close", "closed", "unknown", " close"}) EXPECT_FALSE(parse_kind(text)) << text;
}

}  // namespace
}  // namespace evsim::faults
