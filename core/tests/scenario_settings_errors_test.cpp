// Mistakes in the cors/sse/ws/fetch/file blocks, each with its exact message and position.
#include <gtest/gtest.h>

#include "evsim/core/duration.hpp"
#include "evsim/core/scenario.hpp"

namespace sc = evsim::scenario;

namespace {

// One producer of `type`; `body` starts on line 4, indented by four spaces.
std::string error_of(const std::string& type, const std::string& body) {
    try {
        sc::parse_scenario("producers:\n  - name: p\n    type: " + type + "\n" + body, "s.yaml");
    } catch (const sc::ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(ScenarioSettingsErrors, BlockOfAnotherType) {
    EXPECT_EQ(error_of("sse", "    ws: {binary: true}\n"), "s.yaml:4:9: ws: settings for ws producers, but this producer is sse");
    EXPECT_EQ(error_of("file", "    file: {path: x}\n    fetch: {}\n"),
              "s.yaml:5:12: fetch: settings for fetch producers, but this producer is file");
    EXPECT_EQ(error_of("file", "    file: {path: x}\n    listen: 80\n"),
              "s.yaml:5:13: listen: file producers do not listen; set file.path instead");
}

TEST(ScenarioSettingsErrors, Cors) {
    EXPECT_EQ(error_of("sse", "    cors: {allow_credentials: true}\n"),
              "s.yaml:4:31: cors.allow_credentials: browsers refuse credentials with allow_origins '*'; list the origins");
    EXPECT_EQ(error_of("sse", "    cors: {allow_origins: ['*', 'http://a']}\n"),
              "s.yaml:4:28: cors.allow_origins: '*' must be the only origin");
    EXPECT_EQ(error_of("sse", "    cors: {allow_origins: [example.com]}\n"),
              "s.yaml:4:28: cors.allow_origins: 'example.com' is not an origin like https://example.com:8443");
    EXPECT_EQ(error_of("sse", "    cors: {allow_headers: ['X Y']}\n"), "s.yaml:4:27: cors.allow_headers: 'X Y' is not a header name");
}

TEST(ScenarioSettingsErrors, Sse) {
    EXPECT_EQ(error_of("sse", "    sse: {id: uuid}\n"), "s.yaml:4:15: sse.id: expected none, counter or measurement, got 'uuid'");
    EXPECT_EQ(error_of("sse", "    sse: {framing: cr}\n"), "s.yaml:4:20: sse.framing: expected lf or crlf, got 'cr'");
    EXPECT_EQ(error_of("sse", "    sse: {keepalive: 0s}\n"), "s.yaml:4:22: sse.keepalive: must be longer than 0");
    EXPECT_EQ(error_of("sse", "    sse: {replay: {}}\n"), "s.yaml:4:19: sse.replay: needs event ids; set sse.id to counter or measurement");
    EXPECT_EQ(error_of("sse", "    sse: {id: counter, replay: {max_events: 0}}\n"),
              "s.yaml:4:45: sse.replay.max_events: expected an integer from 1 to 1000000, got '0'");
    EXPECT_EQ(error_of("sse", "    sse: {id: counter, replay: {max_bytes: 2TB}}\n"),
              "s.yaml:4:44: sse.replay.max_bytes: expected a size like 2MB, 512KiB or 1000, got '2TB'");
    EXPECT_EQ(error_of("sse", "    sse: {id: counter, replay: {max_byte: 1}}\n"),
              "s.yaml:4:33: unknown key 'max_byte' in sse.replay (did you mean 'max_bytes'?)");
    EXPECT_EQ(error_of("sse", "    sse: {retry: soon}\n"),
              "s.yaml:4:18: sse.retry: " + std::string([] {
                  try {
                      evsim::parse_duration("soon");
                  } catch (const std::exception& e) {
                      return std::string(e.what());
                  }
                  return std::string();
              }()));
}

TEST(ScenarioSettingsErrors, Ws) {
    EXPECT_EQ(error_of("ws", "    ws: {binary: 1}\n"), "s.yaml:4:18: ws.binary: expected true or false, got '1'");
    EXPECT_EQ(error_of("ws", "    ws: {subprotocol: 'a b'}\n"), "s.yaml:4:23: ws.subprotocol: 'a b' is not a protocol token");
    EXPECT_EQ(error_of("ws", "    ws: {pings: 5s}\n"), "s.yaml:4:10: unknown key 'pings' in ws (did you mean 'ping'?)");
}

TEST(ScenarioSettingsErrors, Fetch) {
    EXPECT_EQ(error_of("fetch", "    fetch: {status: 600}\n"), "s.yaml:4:21: fetch.status: expected an integer from 100 to 599, got '600'");
    EXPECT_EQ(error_of("fetch", "    fetch: {mode: stream}\n"), "s.yaml:4:19: fetch.mode: expected latest, batch or per_request, got 'stream'");
    EXPECT_EQ(error_of("fetch", "    fetch: {batch_size: 5}\n"), "s.yaml:4:25: fetch.batch_size: only used with mode: batch");
    EXPECT_EQ(error_of("fetch", "    fetch: {methods: [GET, get]}\n"),
              "s.yaml:4:22: fetch.methods: unknown method 'get' (GET, HEAD, POST, PUT, PATCH, DELETE)");
}

TEST(ScenarioSettingsErrors, File) {
    EXPECT_EQ(error_of("file", ""), "s.yaml:2:5: producer: missing required key 'file' (file producers need file.path)");
    EXPECT_EQ(error_of("file", "    file: {atomic: true}\n"), "s.yaml:4:11: file: missing required key 'path'");
    EXPECT_EQ(error_of("file", "    file: {path: ''}\n"), "s.yaml:4:18: file.path: must not be empty");
}

TEST(ScenarioSettingsErrors, Queue) {
    EXPECT_EQ(error_of("sse", "    queue: {on_full: block}\n"),
              "s.yaml:4:22: queue.on_full: expected drop_oldest or disconnect, got 'block'");
    EXPECT_EQ(error_of("fetch", "    queue: {max_messages: 5}\n"),
              "s.yaml:4:12: queue: only sse and ws producers keep per-client queues");
    EXPECT_EQ(error_of("ws", "    queue: {max_bytes: 2GiB}\n"), "s.yaml:4:24: queue.max_bytes: at most 1GiB per client");
    const auto s = sc::parse_scenario(
        "producers:\n  - {name: p, type: ws, queue: {max_messages: 16, max_bytes: 1MiB, on_full: disconnect}}\n", "q.yaml");
    const auto& queue = s.producers.at(0).queue;
    EXPECT_EQ(queue.max_messages, 16U);
    EXPECT_EQ(queue.max_bytes, 1024U * 1024U);
    EXPECT_EQ(queue.on_full, sc::SlowConsumer::disconnect);
}

TEST(ScenarioSettingsErrors, Tls) {
    EXPECT_EQ(error_of("sse", "    tls: yes\n"), "s.yaml:4:10: tls: expected true or false, got 'yes'");
    EXPECT_EQ(error_of("file", "    file: {path: x}\n    tls: true\n"),
              "s.yaml:5:10: tls: file producers do not listen; set file.path instead");
    const auto error = [](const std::string& text) {
        try {
            sc::parse_scenario(text, "t.yaml");
        } catch (const sc::ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error("tls: {certificate: c.pem}\nproducers:\n  - {name: p, type: sse}\n"),
              "t.yaml:1:6: tls: missing required key 'key'");
    EXPECT_EQ(error("tls: c.pem\nproducers:\n  - {name: p, type: sse}\n"),
              "t.yaml:1:6: tls: expected a mapping with certificate and key, got 'c.pem'");
    EXPECT_EQ(error("tls: {certificate: c.pem, key: k.pem, ca: x}\nproducers:\n  - {name: p, type: sse}\n"),
              "t.yaml:1:39: unknown key 'ca' in tls");
    // One listener is either TLS or not.
    EXPECT_EQ(error("producers:\n  - {name: a, type: sse, listen: 80, path: /x, tls: true}\n"
                    "  - {name: b, type: fetch, listen: 80, path: /y}\n"),
              "t.yaml:3:36: tls: producer 'a' on 127.0.0.1:80 uses TLS; producers sharing an address must agree");

    const auto s = sc::parse_scenario(
        "tls: {certificate: c.pem, key: k.pem}\nproducers:\n  - {name: a, type: ws, tls: true}\n  - {name: b, type: sse}\n",
        "ok.yaml");
    ASSERT_TRUE(s.tls.has_value());
    EXPECT_EQ(s.tls->certificate, "c.pem");
    EXPECT_EQ(s.tls->key, "k.pem");
    EXPECT_TRUE(s.producers.at(0).tls);
    EXPECT_FALSE(s.producers.at(1).tls);
}

TEST(ScenarioSettingsErrors, Timeouts) {
    const auto error = [](const std::string& text) {
        try {
            sc::parse_scenario(text + "producers:\n  - {name: p, type: sse}\n", "t.yaml");
        } catch (const sc::ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error("timeouts: {header: 0s}\n"), "t.yaml:1:20: timeouts.header: must be at least 1ms");
    EXPECT_EQ(error("timeouts: {idel: 5s}\n"), "t.yaml:1:12: unknown key 'idel' in timeouts");
    EXPECT_EQ(error("timeouts: {header: soon}\n"),
              "t.yaml:1:20: timeouts.header: invalid duration 'soon': expected a number (examples: 250ms, 3s, 1.5s, "
              "2m, 1h)");
    const auto s = sc::parse_scenario("timeouts: {header: 2s, idle: 1m}\nproducers:\n  - {name: p, type: ws}\n", "ok.yaml");
    EXPECT_EQ(s.timeouts.header, std::chrono::microseconds(2'000'000));
    EXPECT_EQ(s.timeouts.idle, std::chrono::microseconds(60'000'000));
    EXPECT_FALSE(sc::parse_scenario("producers:\n  - {name: p, type: ws}\n", "d.yaml").timeouts.header.has_value());
}
