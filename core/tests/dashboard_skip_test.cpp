// Every reason a config.js entry is not served, and the notes on entries that are: one entry at a
// time, plus the checks across entries (same address and path, same file, TLS and plain on one port).
#include <gtest/gtest.h>

#include "evsim/core/dashboard_config.hpp"

namespace db = evsim::dashboard;
namespace sc = evsim::scenario;

namespace {

db::DashboardPlan plan_of(const std::string& entries) {
    return db::plan_from_dashboard_config("sys_eventProviders = [\n" + entries + "\n];", "/home/u/dash/config.js");
}

// The reason the only entry is skipped, or "served".
std::string reason_of(const std::string& entry) {
    const db::DashboardPlan plan = plan_of(entry);
    if (plan.entries.size() != 1) return "entries: " + std::to_string(plan.entries.size());
    if (plan.entries[0].served) return "served";
    EXPECT_TRUE(plan.scenario.producers.empty());
    EXPECT_TRUE(plan.entries[0].producer.empty());
    return plan.entries[0].reason;
}

std::vector<std::string> notes_of(const std::string& entry) { return plan_of(entry).entries.at(0).notes; }

}  // namespace

TEST(DashboardSkip, EntryShape) {
    EXPECT_EQ(reason_of("'http://localhost:7001'"), "entry is a string, not an object");
    EXPECT_EQ(reason_of("[]"), "entry is an array, not an object");
    EXPECT_EQ(reason_of("null"), "entry is null, not an object");
    EXPECT_EQ(reason_of("{}"), "missing 'type'");
    EXPECT_EQ(reason_of("{type: null, url: 'http://localhost:7001'}"), "missing 'type'");
    EXPECT_EQ(reason_of("{type: 1, url: 'http://localhost:7001'}"), "'type' must be a string, got a number");
    EXPECT_EQ(reason_of("{type: 'MQTT', url: 'mqtt://localhost'}"), "unknown type 'MQTT' (expected SSE, WSS, FETCH or FILE)");
    EXPECT_EQ(reason_of("{type: 'SSE'}"), "missing 'url'");
    EXPECT_EQ(reason_of("{type: 'SSE', url: undefined}"), "missing 'url'");
    EXPECT_EQ(reason_of("{type: 'SSE', url: ['http://localhost:7001']}"), "'url' must be a string, got an array");
    EXPECT_EQ(reason_of("{type: 'SSE', url: ' \\t'}"), "empty 'url'");
}

TEST(DashboardSkip, TypesAreCaseInsensitive) {
    const db::DashboardPlan plan = plan_of(
        "{type: 'sse', url: 'http://localhost:7001'}, {type: 'Wss', url: 'ws://localhost:7002'},"
        "{type: 'ws', url: 'ws://localhost:7003'}, {type: 'fetch', url: 'http://localhost:7004'},"
        "{type: 'FiLe', url: '/tmp/x'}");
    ASSERT_EQ(plan.scenario.producers.size(), 5U);
    EXPECT_EQ(plan.scenario.producers[0].type, sc::ProducerType::sse);
    EXPECT_EQ(plan.scenario.producers[1].type, sc::ProducerType::ws);
    EXPECT_EQ(plan.scenario.producers[2].type, sc::ProducerType::ws);
    EXPECT_EQ(plan.scenario.producers[3].type, sc::ProducerType::fetch);
    EXPECT_EQ(plan.scenario.producers[4].type, sc::ProducerType::file);
    EXPECT_EQ(plan.entries[1].type, "Wss");  // as written
    EXPECT_EQ(plan.scenario.producers[1].name, "ws-2");
}

TEST(DashboardSkip, NetworkUrls) {
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://api.weather.myserver.com/x'}"),
              "remote host api.weather.myserver.com: not served locally");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://127.0.0.2:80'}"), "remote host 127.0.0.2: not served locally");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://[::2]:80'}"), "remote host [::2]: not served locally");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'ws://localhost:7001'}"), "SSE needs an http:// or https:// URL, got 'ws:'");
    EXPECT_EQ(reason_of("{type: 'FETCH', url: 'file:///x'}"), "FETCH needs an http:// or https:// URL, got 'file:'");
    EXPECT_EQ(reason_of("{type: 'WSS', url: 'http://localhost:7001'}"), "WSS needs a ws:// or wss:// URL, got 'http:'");
    EXPECT_EQ(reason_of("{type: 'SSE', url: '/events'}"),
              "relative URL: the dashboard resolves it against its own page; write http://localhost:PORT/... to have "
              "it served");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http:localhost'}"), "invalid URL: expected 'http://' followed by a host");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://'}"), "invalid URL: no host");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://:80/'}"), "invalid URL: no host");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:99999'}"), "invalid URL: invalid port '99999'");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:12a'}"), "invalid URL: invalid port '12a'");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:" + std::string(30, '9') + "'}"),
              "invalid URL: invalid port '" + std::string(30, '9') + "'");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://[::1'}"), "invalid URL: invalid host '[::1' (no closing ']')");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://[::1]x'}"), "invalid URL: invalid host '[::1]x'");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:0'}"), "port 0: nothing can connect to it");
}

TEST(DashboardSkip, NetworkUrlsServed) {
    const db::DashboardPlan plan = plan_of(
        "{type: 'SSE', url: ' HTTP://LocalHost:8081 '},"
        "{type: 'SSE', url: 'http://user:pw@127.0.0.1:8082/a b/\\u00e9?q#f'},"
        "{type: 'SSE', url: 'https://localhost'},"
        "{type: 'WSS', url: 'wss://[::1]:9443/ws'},"
        "{type: 'SSE', url: 'http://localhost:8083\\\\events'},"
        "{type: 'SSE', url: 'http://localhost'}");
    ASSERT_EQ(plan.scenario.producers.size(), 6U);
    EXPECT_EQ(plan.entries[0].target, "127.0.0.1:8081/");
    EXPECT_EQ(plan.entries[1].target, "127.0.0.1:8082/a%20b/%C3%A9");  // as the browser sends it
    EXPECT_EQ(plan.scenario.producers[1].paths, std::vector<std::string>{"/a%20b/%C3%A9"});
    EXPECT_EQ(plan.entries[2].target, "127.0.0.1:443/");
    EXPECT_TRUE(plan.entries[2].tls);
    EXPECT_EQ(plan.entries[2].notes, (std::vector<std::string>{"port 443 needs root or CAP_NET_BIND_SERVICE",
                                        "no events listed: sends 'temperature_sse'"}));
    EXPECT_EQ(plan.scenario.producers[3].host, "::1");
    EXPECT_EQ(plan.scenario.producers[3].port, 9443);
    EXPECT_TRUE(plan.entries[3].tls);
    EXPECT_FALSE(plan.entries[0].tls);
    EXPECT_EQ(plan.scenario.producers[4].paths, std::vector<std::string>{"/events"});  // browsers read '\' as '/'
    EXPECT_EQ(plan.scenario.producers[5].port, 80);
}

TEST(DashboardSkip, FileUrls) {
    const db::DashboardPlan plan = plan_of(
        "{type: 'FILE', url: 'my-event-provider.js'},"
        "{type: 'FILE', url: '../shared/feed.txt?v=2'},"
        "{type: 'FILE', url: '/var/tmp/a%20b.txt'},"
        "{type: 'FILE', url: 'file:///tmp/data.tmp'},"
        "{type: 'FILE', url: 'file://localhost/tmp/other.tmp'},"
        "{type: 'FILE', url: 'FILE:///tmp/x/./y/../z.txt'}");
    ASSERT_EQ(plan.scenario.producers.size(), 6U);
    EXPECT_EQ(plan.scenario.producers[0].file.path, "/home/u/dash/my-event-provider.js");
    EXPECT_EQ(plan.scenario.producers[1].file.path, "/home/u/shared/feed.txt");
    EXPECT_EQ(plan.scenario.producers[2].file.path, "/var/tmp/a b.txt");
    EXPECT_EQ(plan.scenario.producers[3].file.path, "/tmp/data.tmp");
    EXPECT_EQ(plan.scenario.producers[4].file.path, "/tmp/other.tmp");
    EXPECT_EQ(plan.scenario.producers[5].file.path, "/tmp/x/z.txt");
    EXPECT_EQ(plan.entries[0].target, "/home/u/dash/my-event-provider.js");

    // Relative to the working directory when config.js is named without a directory.
    EXPECT_EQ(db::plan_from_dashboard_config("sys_eventProviders = [{type: 'FILE', url: 'f.txt'}]", "config.js")
                  .scenario.producers.at(0).file.path,
              "f.txt");

    EXPECT_EQ(reason_of("{type: 'FILE', url: 'file://fileserver/share/x'}"), "remote file host fileserver: not served locally");
    EXPECT_EQ(reason_of("{type: 'FILE', url: 'http://localhost/data.txt'}"),
              "FILE over http is not served: evsim writes local files (use a path or file://)");
    EXPECT_EQ(reason_of("{type: 'FILE', url: 'ftp://localhost/x'}"), "unsupported URL scheme 'ftp:' for FILE");
    EXPECT_EQ(reason_of("{type: 'FILE', url: 'file://'}"), "no file path in the URL");
    EXPECT_EQ(reason_of("{type: 'FILE', url: '?only-a-query'}"), "no file path in the URL");
    EXPECT_EQ(reason_of("{type: 'FILE', url: '/tmp/dir/'}"), "file path ends in '/': that is a directory");
    EXPECT_EQ(reason_of("{type: 'FILE', url: '/tmp/a%00b'}"), "file path contains a NUL byte");
}

TEST(DashboardSkip, Events) {
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', events: 'temperature'}"), "served");
    EXPECT_EQ(plan_of("{type: 'SSE', url: 'http://localhost:7001', events: 'temperature'}").scenario.producers[0].events,
              (std::vector<std::string>{"temperature"}));
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', events: 5}"), "'events' must be an array of names, got a number");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', events: ['a', {}]}"), "events[2] must be a string, got an object");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', events: ['']}"), "events[1] is empty");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', events: ['a\\nb']}"), "events[1] contains a line break or NUL");
    EXPECT_EQ(reason_of("{type: 'FILE', url: 'x', events: ['a\\0']}"), "events[1] contains a line break or NUL");
    // The table still shows the string events of a skipped entry.
    EXPECT_EQ(plan_of("{type: 'SSE', url: 'http://localhost:7001', events: ['a', 2]}").entries[0].events,
              (std::vector<std::string>{"a"}));

    const db::DashboardPlan defaults = plan_of(
        "{type: 'SSE', url: 'http://localhost:7001'}, {type: 'FILE', url: 'f', events: []},"
        "{type: 'WSS', url: 'ws://localhost:7002'}, {type: 'FETCH', url: 'http://localhost:7003', events: null}");
    EXPECT_EQ(defaults.scenario.producers[0].events, (std::vector<std::string>{"temperature_sse"}));
    EXPECT_EQ(defaults.entries[0].notes, (std::vector<std::string>{"no events listed: sends 'temperature_sse'"}));
    EXPECT_EQ(defaults.scenario.producers[1].events, (std::vector<std::string>{"temperature_file"}));
    EXPECT_TRUE(defaults.scenario.producers[2].events.empty());
    EXPECT_TRUE(defaults.scenario.producers[3].events.empty());
    EXPECT_TRUE(defaults.entries[2].notes.empty());

    const db::DashboardPlan several = plan_of("{type: 'FETCH', url: 'http://localhost:7003', events: ['t', 'h', 'p']}");
    EXPECT_EQ(several.scenario.producers[0].events, (std::vector<std::string>{"t"}));
    EXPECT_EQ(several.entries[0].events, (std::vector<std::string>{"t", "h", "p"}));
    EXPECT_EQ(several.entries[0].notes,
              (std::vector<std::string>{"fetch data has no event name: 't' used, 'h', 'p' ignored"}));
}

TEST(DashboardSkip, Interval) {
    using namespace std::chrono_literals;
    const auto interval = [](const std::string& value) {
        const auto plan = plan_of("{type: 'SSE', url: 'http://localhost:7001', interval: " + value + "}");
        return std::get<evsim::cadence::FixedInterval>(plan.scenario.producers.at(0).cadence).interval;
    };
    EXPECT_EQ(interval("1"), 1ms);
    EXPECT_EQ(interval("0x10"), 16ms);
    EXPECT_EQ(interval("1e3"), 1s);
    EXPECT_EQ(interval("86400000"), 24h);
    EXPECT_EQ(interval("null"), 3s);
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', interval: 0}"),
              "'interval' must be 1 to 86400000 milliseconds, got 0");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', interval: -5}"),
              "'interval' must be 1 to 86400000 milliseconds, got -5");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', interval: 0.5}"),
              "'interval' must be 1 to 86400000 milliseconds, got 0.5");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', interval: 1e300}"),
              "'interval' must be 1 to 86400000 milliseconds, got 1e+300");
    EXPECT_EQ(reason_of("{type: 'SSE', url: 'http://localhost:7001', interval: '5000'}"),
              "'interval' must be a number of milliseconds, got a string");
}

TEST(DashboardSkip, FetchOptions) {
    EXPECT_EQ(plan_of("{type: 'FETCH', url: 'http://localhost:7001', method: 'delete'}").scenario.producers[0].fetch.methods,
              (std::vector<std::string>{"DELETE"}));
    EXPECT_EQ(reason_of("{type: 'FETCH', url: 'http://localhost:7001', method: 'OPTIONS'}"),
              "method 'OPTIONS' is not served (GET, HEAD, POST, PUT, PATCH, DELETE)");
    EXPECT_EQ(reason_of("{type: 'FETCH', url: 'http://localhost:7001', method: 'BREW'}"),
              "method 'BREW' is not served (GET, HEAD, POST, PUT, PATCH, DELETE)");
    EXPECT_EQ(reason_of("{type: 'FETCH', url: 'http://localhost:7001', method: 1}"), "'method' must be a string, got a number");
    EXPECT_EQ(notes_of("{type: 'FETCH', url: 'http://localhost:7001', method: 'patch'}"),
              (std::vector<std::string>{"method 'patch' is sent as written (browsers upper-case only DELETE, GET, HEAD, "
                                        "OPTIONS, POST, PUT); the producer answers PATCH"}));

    const db::DashboardPlan headers = plan_of(
        "{type: 'FETCH', url: 'http://localhost:7001', method: 'POST', body: '{}', headers: {"
        "  Accept: 'text/plain', 'Content-Type': 'application/json', 'X-Api-Key': 'k', 'x-api-key': 'k2',"
        "  'Content-Language': 'en', 'bad name': 'v' }}");
    EXPECT_EQ(headers.scenario.producers[0].cors.allow_headers, (std::vector<std::string>{"Content-Type", "X-Api-Key"}));
    EXPECT_EQ(headers.entries[0].notes,
              (std::vector<std::string>{"header name 'bad name' is invalid: the browser's fetch will fail"}));
    EXPECT_TRUE(plan_of("{type: 'FETCH', url: 'http://localhost:7001', headers: {'content-type': 'text/plain; charset=utf-8'}}")
                    .scenario.producers[0].cors.allow_headers.empty());
    EXPECT_EQ(notes_of("{type: 'FETCH', url: 'http://localhost:7001', headers: 'X-A: 1'}"),
              (std::vector<std::string>{"'headers' is a string, not an object; ignored"}));

    EXPECT_EQ(notes_of("{type: 'FETCH', url: 'http://localhost:7001', body: 'x'}"),
              (std::vector<std::string>{"a GET request cannot have a body: the browser's fetch will fail"}));
    EXPECT_TRUE(notes_of("{type: 'FETCH', url: 'http://localhost:7001', body: null, credentials: 'omit'}").empty());
    EXPECT_TRUE(notes_of("{type: 'FETCH', url: 'http://localhost:7001', credentials: 'same-origin'}").empty());
    EXPECT_EQ(notes_of("{type: 'FETCH', url: 'http://localhost:7001', credentials: 'include'}"),
              (std::vector<std::string>{"credentials 'include': browsers refuse the producer's "
                                        "'Access-Control-Allow-Origin: *'; a scenario with the dashboard's origin and "
                                        "cors.allow_credentials is needed"}));
    EXPECT_EQ(notes_of("{type: 'FETCH', url: 'http://localhost:7001', credentials: true}"),
              (std::vector<std::string>{"'credentials' must be 'omit', 'same-origin' or 'include': the browser's fetch "
                                        "will fail"}));
}

TEST(DashboardSkip, IgnoredKeys) {
    EXPECT_EQ(notes_of("{type: 'SSE', url: 'http://localhost:7001', events: 't', intreval: 5, method: 'GET', headers: {}, intreval: 6}"),
              (std::vector<std::string>{"unknown keys ignored: 'intreval'", "FETCH-only keys ignored: 'method', 'headers'"}));
    // A skipped entry carries its reason only.
    EXPECT_TRUE(plan_of("{type: 'SSE', url: 'http://remote', intreval: 5}").entries[0].notes.empty());
}

TEST(DashboardSkip, Clashes) {
    const db::DashboardPlan plan = plan_of(
        "{type: 'SSE', url: 'http://localhost:8081/events'},"       // 1
        "{type: 'FETCH', url: 'http://127.0.0.1:8081/events'},"     // 2: same bound address and path as 1
        "{type: 'FETCH', url: 'http://127.0.0.1:8081/api'},"        // 3: same port, own path: fine
        "{type: 'WSS', url: 'ws://localhost:8081/ws'},"             // 4: the ws handshake is HTTP too: fine
        "{type: 'SSE', url: 'https://localhost:8081/secure'},"      // 5: TLS on a plain port
        "{type: 'SSE', url: 'http://[::1]:8081/events'},"           // 6: another address: fine
        "{type: 'FILE', url: '/tmp/a.txt'},"                        // 7
        "{type: 'FILE', url: 'file:///tmp/./a.txt'},"               // 8: same file as 7
        "{type: 'SSE', url: 'http://localhost:8081/events?x=1'},"   // 9: the query does not make another path
        "{type: 'SSE', url: 'https://localhost:8443/'},"            // 10
        "{type: 'FETCH', url: 'http://localhost:8443/x'}");         // 11: plain on a TLS port
    ASSERT_EQ(plan.entries.size(), 11U);
    EXPECT_EQ(plan.entries[1].reason, "same address and path as entry 1");
    EXPECT_TRUE(plan.entries[2].served);
    EXPECT_TRUE(plan.entries[3].served);
    EXPECT_EQ(plan.entries[4].reason, "port 8081 is already served without TLS by entry 1; one port cannot do both");
    EXPECT_TRUE(plan.entries[5].served);
    EXPECT_TRUE(plan.entries[6].served);
    EXPECT_EQ(plan.entries[7].reason, "same file as entry 7");
    EXPECT_EQ(plan.entries[8].reason, "same address and path as entry 1");
    EXPECT_TRUE(plan.entries[9].served);
    EXPECT_EQ(plan.entries[10].reason, "port 8443 is already served with TLS by entry 10; one port cannot do both");
    std::vector<std::string> names;
    for (const auto& p : plan.scenario.producers) names.push_back(p.name);
    EXPECT_EQ(names, (std::vector<std::string>{"sse-1", "fetch-3", "ws-4", "sse-6", "file-7", "sse-10"}));
    for (const auto& e : plan.entries) {
        if (e.served) continue;
        EXPECT_TRUE(e.producer.empty() && e.target.empty() && e.notes.empty()) << e.index;
    }
}

TEST(DashboardSkip, ProducerLimit) {
    std::string many;
    for (std::size_t i = 0; i <= sc::max_producers; ++i)
        many += "{type: 'FILE', url: '/tmp/f" + std::to_string(i) + "'},";
    const db::DashboardPlan plan = plan_of(many);
    EXPECT_EQ(plan.scenario.producers.size(), sc::max_producers);
    EXPECT_EQ(plan.entries.back().reason, "more than 1000 producers");
}
