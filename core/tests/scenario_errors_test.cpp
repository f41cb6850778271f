// Every mistake in the top level and the common producer keys is reported as FILE:LINE:COLUMN: message,
// at the node that is wrong.
#include <gtest/gtest.h>

#include "evsim/core/scenario.hpp"

namespace sc = evsim::scenario;

namespace {

std::string error_of(const std::string& yaml) {
    try {
        sc::parse_scenario(yaml, "e.yaml");
    } catch (const sc::ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

// A scenario with one producer whose remaining lines are `body` (indented by four spaces, from line 4).
std::string producer_error(const std::string& body) {
    return error_of("producers:\n  - name: p\n    type: sse\n" + body);
}

}  // namespace

TEST(ScenarioErrors, YamlSyntax) {
    EXPECT_EQ(error_of("producers: [\n"), "e.yaml:2:1: YAML syntax error: end of sequence flow not found");
    EXPECT_EQ(error_of("a: b\n  c: d\n"), "e.yaml:2:4: YAML syntax error: illegal map value");
}

TEST(ScenarioErrors, TopLevel) {
    EXPECT_EQ(error_of(""), "e.yaml:1:1: expected a mapping with 'producers' or 'load', got nothing");
    EXPECT_EQ(error_of("- a\n"), "e.yaml:1:1: expected a mapping with 'producers' or 'load', got a list");
    EXPECT_EQ(error_of("seed: 1\n"), "e.yaml:1:1: missing required key 'producers' (or 'load')");
    EXPECT_EQ(error_of("producer: []\n"),
              "e.yaml:1:1: unknown key 'producer' in scenario (did you mean 'producers'?)");
    EXPECT_EQ(error_of("colour: red\n"), "e.yaml:1:1: unknown key 'colour' in scenario");
    EXPECT_EQ(error_of("producers: []\n"),
              "e.yaml:1:12: producers: expected a list of at least one producer, got a list");
    EXPECT_EQ(error_of("seed: -1\nproducers: [{name: a, type: sse}]\n"),
              "e.yaml:1:7: seed: expected an integer from 0 to 18446744073709551615, got '-1'");
    EXPECT_EQ(error_of("seed: 1\nseed: 2\nproducers: [{name: a, type: sse}]\n"),
              "e.yaml:2:1: duplicate key 'seed' in scenario");
    EXPECT_EQ(error_of("producers:\n  - just a string\n"), "e.yaml:2:5: producer: expected a mapping, got 'just a string'");
}

TEST(ScenarioErrors, Limits) {
    const std::string big(sc::max_file_bytes + 1, '#');
    EXPECT_EQ(error_of(big), "e.yaml:1:1: scenario is 1048577 bytes; the limit is 1048576 (1 MiB)");
    std::string many = "producers:\n";
    for (std::size_t i = 0; i <= sc::max_producers; ++i) many += "  - {name: p" + std::to_string(i) + ", type: sse}\n";
    EXPECT_EQ(error_of(many), "e.yaml:2:3: producers: 1001 producers; the limit is 1000");
}

TEST(ScenarioErrors, NameAndType) {
    EXPECT_EQ(error_of("producers:\n  - type: sse\n"), "e.yaml:2:5: producer: missing required key 'name'");
    EXPECT_EQ(error_of("producers:\n  - name: a\n"), "e.yaml:2:5: producer: missing required key 'type'");
    EXPECT_EQ(error_of("producers:\n  - {name: a, type: sce}\n"),
              "e.yaml:2:21: type: expected sse, ws, fetch, file or a dialect (eventsource-lib, machbase-watch, wakanda-push, "
              "ctrlx-datalayer), got 'sce' (did you mean 'sse'?)");
    EXPECT_EQ(error_of("producers:\n  - {name: 'a b', type: sse}\n"),
              "e.yaml:2:12: name: 'a b' must be 1..64 letters, digits, '_', '-' or '.'");
    EXPECT_EQ(error_of("producers:\n  - {name: a, type: sse}\n  - {name: a, type: ws}\n"),
              "e.yaml:3:12: duplicate producer name 'a' (first at line 2)");
}

TEST(ScenarioErrors, UnknownProducerKey) {
    EXPECT_EQ(producer_error("    cadance: every 1s\n"),
              "e.yaml:4:5: unknown key 'cadance' in producer (did you mean 'cadence'?)");
    EXPECT_EQ(producer_error("    evnts: [a]\n"), "e.yaml:4:5: unknown key 'evnts' in producer (did you mean 'events'?)");
    EXPECT_EQ(producer_error("    url: http://x\n"), "e.yaml:4:5: unknown key 'url' in producer");
}

TEST(ScenarioErrors, Listen) {
    const std::string bad = "listen: expected host:port, [v6-address]:port or a port, got ";
    EXPECT_EQ(producer_error("    listen: localhost\n"), "e.yaml:4:13: " + bad + "'localhost'");
    EXPECT_EQ(producer_error("    listen: ::1:80\n"), "e.yaml:4:13: " + bad + "'::1:80'");
    EXPECT_EQ(producer_error("    listen: '[::1]'\n"), "e.yaml:4:13: " + bad + "'[::1]'");
    EXPECT_EQ(producer_error("    listen: 65536\n"), "e.yaml:4:13: listen: port must be 0..65535 (got 65536)");
    EXPECT_EQ(producer_error("    listen: [80]\n"), "e.yaml:4:13: listen: expected a string, got a list");
    EXPECT_EQ(error_of("producers:\n  - {name: a, type: sse, listen: 80}\n  - {name: b, type: ws, listen: '127.0.0.1:80'}\n"),
              "e.yaml:3:33: listen: 127.0.0.1:80 is already used by producer 'a'; producers sharing an address "
              "need a path each");
    EXPECT_EQ(error_of("producers:\n  - {name: a, type: sse, listen: 80, path: /x}\n"
                       "  - {name: b, type: fetch, listen: 80, path: /x}\n"),
              "e.yaml:3:46: path: /x on 127.0.0.1:80 is already served by producer 'a'");
    EXPECT_NO_THROW(sc::parse_scenario("producers:\n  - {name: a, type: sse, listen: 80, path: /x}\n"
                                   "  - {name: b, type: fetch, listen: 80, path: /y}\n",
                                   "ok.yaml"));
}

TEST(ScenarioErrors, PathAndEvents) {
    EXPECT_EQ(producer_error("    path: events\n"),
              "e.yaml:4:11: path: expected an absolute URL path like /events (no spaces, query or fragment), got 'events'");
    // Several paths: each checked, no repeats, and none shared with another producer on the address.
    EXPECT_EQ(producer_error("    path: [/a, b]\n"),
              "e.yaml:4:16: path: expected an absolute URL path like /events (no spaces, query or fragment), got 'b'");
    EXPECT_EQ(producer_error("    path: [/a, /a]\n"), "e.yaml:4:16: path: /a is listed twice");
    EXPECT_EQ(producer_error("    path: []\n"), "e.yaml:4:11: path: expected a path or a list of at least one");
    EXPECT_EQ(error_of("producers:\n  - {name: a, type: sse, listen: 80, path: [/x, /y]}\n"
                       "  - {name: b, type: fetch, listen: 80, path: [/z, /y]}\n"),
              "e.yaml:3:46: path: /y on 127.0.0.1:80 is already served by producer 'a'");
    EXPECT_EQ(sc::parse_scenario("producers:\n  - {name: a, type: sse, path: [/x, /y]}\n", "ok.yaml").producers[0].paths,
              (std::vector<std::string>{"/x", "/y"}));
    EXPECT_EQ(producer_error("    events: [a, '']\n"), "e.yaml:4:17: events: expected a non-empty string, got ''");
    EXPECT_EQ(error_of("producers:\n  - {name: a, type: ws, events: [x, y]}\n"),
              "e.yaml:2:33: events: ws producers carry raw data, so they take one event name (got 2)");
    EXPECT_EQ(producer_error("    measurement_metadata: yes\n"),
              "e.yaml:4:27: measurement_metadata: expected true or false, got 'yes'");
}

TEST(ScenarioErrors, CadenceSpecErrorPointsAtCadence) {
    EXPECT_EQ(producer_error("    cadence: every 0s\n"),
              "e.yaml:4:14: cadence: invalid cadence 'every 0s': fixed_interval: interval must be at least 1us (got 0ns)");
    EXPECT_EQ(producer_error("    cadence: {every: 1s}\n"), "e.yaml:4:14: cadence: expected a string, got a mapping");
}

TEST(ScenarioErrors, PayloadShape) {
    EXPECT_EQ(producer_error("    payload: random_int\n"),
              "e.yaml:4:14: payload: expected a mapping with one generator key (random_int, random_float, "
              "random_walk, sine, counter, constant, json_template, pad_to), got 'random_int'");
    EXPECT_EQ(producer_error("    payload: {random_flaot: {}}\n"),
              "e.yaml:4:15: unknown key 'random_flaot' in payload (did you mean 'random_float'?)");
    EXPECT_EQ(producer_error("    payload: {counter: {}, sine: {}}\n"),
              "e.yaml:4:28: payload: exactly one generator per payload, got 'counter' and 'sine'");
    EXPECT_EQ(producer_error("    payload: {random_int: {min: 1, mx: 2}}\n"),
              "e.yaml:4:36: unknown key 'mx' in payload.random_int (did you mean 'max'?)");
    EXPECT_EQ(producer_error("    payload: {random_int: {min: 1.5}}\n"),
              "e.yaml:4:33: payload.random_int.min: expected an integer from -9223372036854775808 to "
              "9223372036854775807, got '1.5'");
    EXPECT_EQ(producer_error("    payload: {sine: {phase: abc}}\n"), "e.yaml:4:29: payload.sine.phase: expected a number, got 'abc'");
    EXPECT_EQ(producer_error("    payload: {pad_to: {fill: '..'}}\n"),
              "e.yaml:4:30: payload.pad_to.fill: expected a single character, got '..'");
    EXPECT_EQ(producer_error("    payload: {json_template: {fields: {}}}\n"),
              "e.yaml:4:30: payload.json_template: missing required key 'text'");
    EXPECT_EQ(producer_error("    payload: {json_template: {text: '{{a}}', fields: {a: {countr: {}}}}}\n"),
              "e.yaml:4:59: unknown key 'countr' in payload.json_template.fields.a (did you mean 'counter'?)");
}

TEST(ScenarioErrors, PayloadSpecErrorPointsAtPayload) {
    EXPECT_EQ(producer_error("    payload:\n      random_int: {min: 99, max: 10}\n"),
              "e.yaml:5:7: payload: random_int: min (99) must not be greater than max (10)");
    EXPECT_EQ(producer_error("    payload: {random_float: {decimals: 12}}\n"),
              "e.yaml:4:14: payload: random_float: decimals must be 0..9 (got 12)");
    EXPECT_EQ(producer_error("    payload: {json_template: {text: '{{a}}', fields: {a: {random_int: {min: 5, max: 1}}}}}\n"),
              "e.yaml:4:14: payload: json_template field 'a': random_int: min (5) must not be greater than max (1)");
}

TEST(ScenarioErrors, PayloadEdges) {
    EXPECT_EQ(producer_error("    payload: {}\n"),
              "e.yaml:4:14: payload: expected a mapping with one generator key (random_int, random_float, "
              "random_walk, sine, counter, constant, json_template, pad_to), got a mapping");
    EXPECT_EQ(producer_error("    payload: {json_template: {text: '[{{a}}]', fields: {a: {counter: {}}, a: {sine: {}}}}}\n"),
              "e.yaml:4:75: duplicate key 'a' in payload.json_template.fields");
    EXPECT_EQ(producer_error("    payload: {pad_to: {size: 99999999999GiB}}\n"), "e.yaml:4:30: payload.pad_to.size: too large (99999999999GiB)");
    EXPECT_EQ(producer_error("    payload: {pad_to: {size: 0}}\n"), "e.yaml:4:30: payload.pad_to.size: must be at least 1 byte");
    // Nesting beyond payload::max_nesting is refused while reading, before it can recurse further.
    std::string nested = "{counter: {}}";
    for (std::size_t i = 0; i <= evsim::payload::max_nesting; ++i) nested = "{pad_to: {inner: " + nested + "}}";
    const std::string message = producer_error("    payload: " + nested + "\n");
    EXPECT_NE(message.find(": generators nested deeper than 16"), std::string::npos) << message;
}
