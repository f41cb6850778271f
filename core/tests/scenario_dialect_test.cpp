// Dialect producers in scenarios: their type names, their settings blocks with defaults, and every
// mistake reported at its place.
#include <gtest/gtest.h>

#include "evsim/core/scenario.hpp"

namespace sc = evsim::scenario;

namespace {

std::string error_of(const std::string& yaml) {
    try {
        sc::parse_scenario(yaml, "d.yaml");
    } catch (const sc::ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

std::string lib(const std::string& body) { return "producers:\n  - name: lib\n    type: eventsource-lib\n" + body; }

TEST(ScenarioDialect, EventSourceLibDefaultsAreTheOriginals) {
    const auto s = sc::parse_scenario(lib(""), "d.yaml");
    ASSERT_EQ(s.producers.size(), 1U);
    const auto& p = s.producers[0];
    EXPECT_EQ(p.type, sc::ProducerType::sse);
    EXPECT_EQ(p.dialect, sc::Dialect::eventsource_lib);
    EXPECT_FALSE(p.eventsource_lib.keepalive);
    EXPECT_FALSE(p.eventsource_lib.ids);
    EXPECT_FALSE(p.eventsource_lib.json);
    EXPECT_EQ(p.eventsource_lib.actions, std::vector<std::string>{"ping"});
}

TEST(ScenarioDialect, EventSourceLibSettings) {
    const auto s = sc::parse_scenario(
        lib("    listen: 8888\n    eventsource_lib: {keepalive: 50s, ids: true, json: true, actions: [ping, update]}\n"),
        "d.yaml");
    const auto& p = s.producers[0];
    EXPECT_EQ(p.port, 8888);
    EXPECT_EQ(p.eventsource_lib.keepalive, std::chrono::seconds(50));
    EXPECT_TRUE(p.eventsource_lib.ids);
    EXPECT_TRUE(p.eventsource_lib.json);
    EXPECT_EQ(p.eventsource_lib.actions, (std::vector<std::string>{"ping", "update"}));
    // keepalive 0 is the original's "off".
    EXPECT_FALSE(sc::parse_scenario(lib("    eventsource_lib: {keepalive: 0}\n"), "d.yaml").producers[0].eventsource_lib.keepalive);
}

TEST(ScenarioDialect, Mistakes) {
    EXPECT_EQ(error_of("producers:\n  - name: lib\n    type: eventsource-libs\n"),
              "d.yaml:3:11: type: expected sse, ws, fetch, file or a dialect (eventsource-lib, machbase-watch, wakanda-push, "
              "ctrlx-datalayer), got "
              "'eventsource-libs' "
              "(did you mean 'eventsource-lib'?)");
    EXPECT_EQ(error_of(lib("    cadence: 1s\n")),
              "d.yaml:4:14: cadence: eventsource-lib producers relay what clients POST to /ACTION/TOKEN on the library's "
              "own routes; they take listen, tls, queue and eventsource_lib");
    EXPECT_EQ(error_of(lib("    sse: {retry: 1s}\n")),
              "d.yaml:4:10: sse: settings for sse producers, but this producer is eventsource-lib");
    EXPECT_EQ(error_of("producers:\n  - name: p\n    type: sse\n    eventsource_lib: {ids: true}\n"),
              "d.yaml:4:22: eventsource_lib: settings for eventsource-lib producers, but this producer is sse");
    EXPECT_EQ(error_of(lib("    eventsource_lib: {actions: [close]}\n")),
              "d.yaml:4:33: eventsource_lib.actions: 'close' is built in (poll listens, close ends the stream, retry "
              "sets the reconnection time)");
    EXPECT_EQ(error_of(lib("    eventsource_lib: {actions: [\"a b\"]}\n")),
              "d.yaml:4:33: eventsource_lib.actions: 'a b' must be 1..64 letters, digits, '_', '-' or '.' (it is a URL "
              "path segment)");
    EXPECT_EQ(error_of(lib("    eventsource_lib: {id: true}\n")),
              "d.yaml:4:23: unknown key 'id' in eventsource_lib (did you mean 'ids'?)");
}

}  // namespace

namespace {

std::string watch(const std::string& body) { return "producers:\n  - name: db\n    type: machbase-watch\n" + body; }

TEST(ScenarioDialect, MachbaseWatchTablesAndDefaults) {
    const auto plain = sc::parse_scenario(watch(""), "d.yaml").producers[0];
    EXPECT_EQ(plain.dialect, sc::Dialect::machbase_watch);
    EXPECT_TRUE(plain.watch.tables.empty());  // the document's example table
    EXPECT_EQ(std::get<evsim::cadence::FixedInterval>(plain.cadence).interval, std::chrono::seconds(1));
    EXPECT_TRUE(std::holds_alternative<evsim::payload::RandomWalk>(plain.payload));
    const auto s = sc::parse_scenario(watch("    cadence: every 100ms\n    watch:\n      tables:\n"
                                            "        - {name: example, kind: tag, tags: [neo_load1, neo_load5]}\n"
                                            "        - {name: syslog, kind: log}\n"),
                                      "d.yaml");
    const auto& p = s.producers[0];
    EXPECT_EQ(std::get<evsim::cadence::FixedInterval>(p.cadence).interval, std::chrono::milliseconds(100));
    ASSERT_EQ(p.watch.tables.size(), 2U);
    EXPECT_EQ(p.watch.tables[0].tags, (std::vector<std::string>{"neo_load1", "neo_load5"}));
    EXPECT_EQ(p.watch.tables[1].kind, sc::WatchTable::Kind::log);
}

TEST(ScenarioDialect, MachbaseWatchMistakes) {
    const auto tables = [](const std::string& list) { return watch("    watch:\n      tables:\n" + list); };
    EXPECT_EQ(error_of(tables("        - {name: example, kind: tag}\n")),
              "d.yaml:6:11: table 'example': a tag table needs tags: [NAME, ...]");
    EXPECT_EQ(error_of(tables("        - {name: logs, kind: log, tags: [a]}\n")),
              "d.yaml:6:41: tags: log tables have no tags");
    EXPECT_EQ(error_of(tables("        - {name: a, kind: tag, tags: [x]}\n        - {name: A, kind: log}\n")),
              "d.yaml:7:18: name: table 'A' is listed twice (names ignore case)");
    EXPECT_EQ(error_of(tables("        - {name: a-b, kind: log}\n")),
              "d.yaml:6:18: name: 'a-b' must be 1..64 letters, digits or '_'");
    EXPECT_EQ(error_of(tables("        - {name: t, kind: tags, tags: [x]}\n")),
              "d.yaml:6:27: kind: expected tag or log, got 'tags'");
    EXPECT_EQ(error_of(tables("        - {name: t, tags: [x, x]}\n")), "d.yaml:6:31: tags: 'x' is listed twice");
    EXPECT_EQ(error_of(watch("    path: /db\n")),
              "d.yaml:4:11: path: machbase-watch producers serve /db/watch/{table}; they take listen, tls, cors, "
              "queue, cadence (how often rows are inserted), payload (their values) and watch");
}

}  // namespace

namespace {

std::string push(const std::string& body) { return "producers:\n  - name: p\n    type: wakanda-push\n" + body; }

TEST(ScenarioDialect, WakandaPushDefaultsAndSettings) {
    const auto plain = sc::parse_scenario(push(""), "d.yaml").producers[0];
    EXPECT_EQ(plain.dialect, sc::Dialect::wakanda_push);
    EXPECT_EQ(plain.paths, std::vector<std::string>{"/eventsource"});
    EXPECT_EQ(plain.push.session.from, sc::PushIdentity::From::cookie);
    EXPECT_EQ(plain.push.session.name, "WASID");
    EXPECT_TRUE(plain.push.replay.enabled);
    EXPECT_EQ(plain.push.replay.max_events, 500U);
    EXPECT_EQ(plain.push.replay.max_bytes, 2'000'000U);
    EXPECT_EQ(plain.push.replay.max_age, std::chrono::hours(2));
    const auto p = sc::parse_scenario(push("    path: /push\n    events: [itempurchased]\n    push:\n"
                                           "      session: none\n      user: {query: user}\n      groups: {cookie: grp}\n"
                                           "      replay: {max_events: 10, max_age: 1m}\n      generate: false\n"),
                                      "d.yaml")
                       .producers[0];
    EXPECT_EQ(p.paths, std::vector<std::string>{"/push"});
    EXPECT_EQ(p.push.session.from, sc::PushIdentity::From::none);
    EXPECT_EQ(p.push.user.from, sc::PushIdentity::From::query);
    EXPECT_EQ(p.push.user.name, "user");
    EXPECT_EQ(p.push.groups.from, sc::PushIdentity::From::cookie);
    EXPECT_EQ(p.push.replay.max_events, 10U);
    EXPECT_EQ(p.push.replay.max_age, std::chrono::minutes(1));
    EXPECT_FALSE(p.push.generate);
}

TEST(ScenarioDialect, WakandaPushMistakes) {
    EXPECT_EQ(error_of(push("    push: {user: {header: X-User, cookie: u}}\n")),
              "d.yaml:4:18: push.user: expected one of {cookie: NAME}, {header: NAME}, {query: NAME} or none");
    EXPECT_EQ(error_of(push("    push: {user: {body: u}}\n")), "d.yaml:4:19: unknown key 'body' in push.user");
    EXPECT_EQ(error_of(push("    push: {user: {header: \"a b\"}}\n")), "d.yaml:4:27: push.user.header: 'a b' is not a usable name");
    EXPECT_EQ(error_of(push("    path: [/a, /b]\n")), "d.yaml:4:11: path: wakanda-push producers listen at one path");
    EXPECT_EQ(error_of(push("    faults: []\n")).rfind("d.yaml:4:13: faults: wakanda-push producers take", 0), 0U);
}

}  // namespace
