// Values a scenario spells out arrive in the model; keys it leaves out keep the documented defaults.
#include <gtest/gtest.h>

#include <variant>

#include "evsim/core/scenario.hpp"

namespace sc = evsim::scenario;
namespace pl = evsim::payload;
using namespace std::chrono_literals;

namespace {

sc::ProducerSpec one(const std::string& body) {
    const sc::Scenario s = sc::parse_scenario("producers:\n  - name: p\n" + body, "t.yaml");
    EXPECT_EQ(s.producers.size(), 1u);
    return s.producers.at(0);
}

}  // namespace

TEST(ScenarioParse, ListenForms) {
    EXPECT_EQ(one("    type: sse\n    listen: 9000\n").port, 9000);
    EXPECT_EQ(one("    type: sse\n    listen: 9000\n").host, "127.0.0.1");
    const sc::ProducerSpec v6 = one("    type: sse\n    listen: '[::1]:65535'\n");
    EXPECT_EQ(v6.host, "::1");
    EXPECT_EQ(v6.port, 65535);
    const sc::ProducerSpec named = one("    type: sse\n    listen: localhost:80\n");
    EXPECT_EQ(named.host, "localhost");
    EXPECT_EQ(named.port, 80);
}

TEST(ScenarioParse, SseSettings) {
    const sc::ProducerSpec p = one(
        "    type: sse\n    sse: {retry: 2500, keepalive: 15s, id: measurement,\n"
        "          replay: {enabled: false, max_bytes: 512KiB, max_age: 1m, max_events: 7}}\n");
    EXPECT_EQ(p.sse.retry, std::chrono::microseconds(2500ms));
    EXPECT_EQ(p.sse.keepalive, std::chrono::microseconds(15s));
    EXPECT_EQ(p.sse.id, sc::SseIdScheme::measurement);
    EXPECT_EQ(p.sse.framing, evsim::sse::Framing::lf);
    EXPECT_FALSE(p.sse.replay.enabled);
    EXPECT_EQ(p.sse.replay.max_bytes, 512u * 1024u);
    EXPECT_EQ(p.sse.replay.max_age, 1min);
    EXPECT_EQ(p.sse.replay.max_events, 7u);
}

TEST(ScenarioParse, SseDefaults) {
    const sc::ProducerSpec p = one("    type: sse\n");
    EXPECT_FALSE(p.sse.retry);
    EXPECT_FALSE(p.sse.keepalive);
    EXPECT_EQ(p.sse.id, sc::SseIdScheme::none);
    EXPECT_FALSE(p.sse.replay.enabled);
    EXPECT_EQ(p.sse.replay.max_events, 500u);
    EXPECT_EQ(p.sse.replay.max_bytes, 2'000'000u);
    EXPECT_EQ(p.sse.replay.max_age, 2h);
    EXPECT_FALSE(p.measurement_metadata);
    EXPECT_TRUE(p.paths.empty());
    EXPECT_TRUE(p.events.empty());
}

TEST(ScenarioParse, SizesAreDecimalOrBinary) {
    const auto bytes = [](const char* size) {
        return one(std::string("    type: sse\n    sse: {id: counter, replay: {max_bytes: ") + size + "}}\n")
            .sse.replay.max_bytes;
    };
    EXPECT_EQ(bytes("2MB"), 2'000'000u);
    EXPECT_EQ(bytes("3KB"), 3'000u);
    EXPECT_EQ(bytes("1MiB"), 1048576u);
    EXPECT_EQ(bytes("1000"), 1000u);
    EXPECT_EQ(bytes("10B"), 10u);
}

TEST(ScenarioParse, WsAndFetchAndFile) {
    const sc::ProducerSpec ws = one("    type: ws\n    events: temperature\n    ws: {binary: true, ping: 20s, subprotocol: chat}\n");
    EXPECT_TRUE(ws.ws.binary);
    EXPECT_EQ(ws.ws.ping, std::chrono::microseconds(20s));
    EXPECT_EQ(ws.ws.subprotocol, "chat");
    EXPECT_FALSE(ws.ws.permessage_deflate);
    EXPECT_EQ(ws.events, std::vector<std::string>{"temperature"});

    const sc::ProducerSpec fetch = one("    type: fetch\n    fetch: {methods: POST, status: 503, latency: 1.5s}\n");
    EXPECT_EQ(fetch.fetch.methods, std::vector<std::string>{"POST"});
    EXPECT_EQ(fetch.fetch.status, 503);
    EXPECT_EQ(fetch.fetch.latency, 1500ms);
    EXPECT_EQ(fetch.fetch.mode, sc::FetchMode::latest);
    EXPECT_FALSE(fetch.fetch.etag);
    EXPECT_EQ(one("    type: fetch\n").fetch.methods, std::vector<std::string>{"GET"});

    const sc::ProducerSpec file = one("    type: file\n    file: {path: out.txt, atomic: false}\n");
    EXPECT_EQ(file.file.path, "out.txt");
    EXPECT_FALSE(file.file.atomic);
    EXPECT_TRUE(one("    type: file\n    file: {path: x}\n").file.atomic);
}

TEST(ScenarioParse, Cors) {
    const sc::ProducerSpec p = one(
        "    type: sse\n    cors: {allow_origins: ['https://a.example', 'http://b.example:8080'],\n"
        "           allow_credentials: true, allow_headers: [Last-Event-ID], max_age: 3600}\n");
    EXPECT_EQ(p.cors.allow_origins, (std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
    EXPECT_TRUE(p.cors.allow_credentials);
    EXPECT_EQ(p.cors.allow_headers, std::vector<std::string>{"Last-Event-ID"});
    EXPECT_EQ(p.cors.max_age, 1h);  // a bare number is seconds here, as in the header
}

TEST(ScenarioParse, EveryGenerator) {
    const auto payload = [](const std::string& yaml) { return one("    type: sse\n    payload: " + yaml + "\n").payload; };
    EXPECT_EQ(std::get<pl::RandomInt>(payload("{random_int: {min: -5, max: 5}}")).min, -5);
    EXPECT_EQ(std::get<pl::RandomFloat>(payload("{random_float: {decimals: 0}}")).decimals, 0);
    EXPECT_EQ(std::get<pl::RandomWalk>(payload("{random_walk: {step: 0.25}}")).step, 0.25);
    EXPECT_EQ(std::get<pl::Sine>(payload("{sine: {period: 10, phase: 0.25}}")).period, 10);
    EXPECT_EQ(std::get<pl::Counter>(payload("{counter: }")).step, 1);
    EXPECT_EQ(std::get<pl::Constant>(payload("{constant: hello}")).text, "hello");
    EXPECT_EQ(std::get<pl::Constant>(payload("{constant: {text: 'a b'}}")).text, "a b");
    const pl::PadTo pad = std::get<pl::PadTo>(payload("{pad_to: {inner: {counter: {start: 3}}, size: 64, fill: '.'}}"));
    EXPECT_EQ(pad.size, 64);
    EXPECT_EQ(pad.fill, '.');
    EXPECT_EQ(std::get<pl::Counter>(pad.inner.get()).start, 3);
    const pl::JsonTemplate tpl = std::get<pl::JsonTemplate>(
        payload("{json_template: {text: '[{{a}}, {{b}}]', fields: {a: {counter: {}}, b: {constant: x}}}}"));
    ASSERT_EQ(tpl.fields.size(), 2u);
    EXPECT_EQ(tpl.fields[1].name, "b");
    EXPECT_EQ(std::get<pl::Constant>(tpl.fields[1].spec.get()).text, "x");
}

TEST(ScenarioParse, CadenceAndSeedAndLocation) {
    const sc::Scenario s = sc::parse_scenario(
        "seed: 18446744073709551615\nproducers:\n  - {name: a, type: sse, cadence: rate 10/s}\n"
        "  - name: b\n    type: ws\n    listen: 9001\n  - {name: c, type: sse, listen: 'localhost:9001', events: [x, y]}\n",
        "s.yaml");
    EXPECT_EQ(s.source, "s.yaml");
    EXPECT_EQ(s.seed, 18446744073709551615u);
    EXPECT_EQ(std::get<evsim::cadence::Rate>(s.producers[0].cadence).per_second, 10);
    EXPECT_EQ(s.producers[1].where.line, 4);
    EXPECT_EQ(s.producers[1].where.column, 5);
    EXPECT_EQ(s.producers[1].where.file, "s.yaml");
    // Same port on another host spelling is not a clash: the loader does not resolve names.
    EXPECT_EQ(s.producers[2].events.size(), 2u);
}
