// Reading a dashboard's config.js: the documentation's examples, a realistic file with other code
// around the registry, finding the assignment, the errors, the file reader and the table.
#include <gtest/gtest.h>

#include <fstream>

#include "evsim/core/dashboard_config.hpp"

namespace db = evsim::dashboard;
namespace sc = evsim::scenario;
using namespace std::chrono_literals;

namespace {

std::string error_of(std::string_view js, const std::string& file = "/dash/config.js") {
    try {
        db::plan_from_dashboard_config(js, file);
    } catch (const sc::ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

std::chrono::nanoseconds interval_of(const sc::ProducerSpec& p) {
    return std::get<evsim::cadence::FixedInterval>(p.cadence).interval;
}

// The documentation's four examples, one after another. The documentation shows each on one line
// because its line breaks were lost; a `//` comment ends at the line's end, so here they are as the
// dashboard's authors wrote them, without the `...` placeholders.
constexpr std::string_view doc_examples = R"(sys_eventProviders = [
  { type: "WSS", // WebSocket event provider
    url : "wss://ws.weather.myserver.com", // WebSocket server URL
    events: ["temperature"] // Event name
  },
  { type: "SSE", // Server-sent Events provider
    url : "http://sse.weather.myserver.com", // HTTP server URL
    events: ["temperature", "humidity"] // Event names
  },
  { type: "FETCH", // Fetch provider
    url : "http://api.weather.myserver.com", // HTTP server URL
    events: ["temperature"], // Event name
    interval: 5000 // pull interval (5 seconds)
  },
  { type: "FILE", // File provider
    url : "my-event-provider.js", // JavaScript data provider
    events: ["temperature", "humidity"], // Event names
    interval: 5000 // pull interval (5 seconds)
  },
];
)";

}  // namespace

TEST(DashboardConfig, DocumentationExamples) {
    const db::DashboardPlan plan = db::plan_from_dashboard_config(doc_examples, "/dash/config.js");
    ASSERT_EQ(plan.entries.size(), 4U);
    EXPECT_EQ(plan.entries[0].reason, "remote host ws.weather.myserver.com: not served locally");
    EXPECT_TRUE(plan.entries[0].tls);
    EXPECT_EQ(plan.entries[1].reason, "remote host sse.weather.myserver.com: not served locally");
    EXPECT_EQ(plan.entries[2].reason, "remote host api.weather.myserver.com: not served locally");
    EXPECT_EQ(plan.entries[1].events, (std::vector<std::string>{"temperature", "humidity"}));
    EXPECT_EQ(plan.entries[0].type, "WSS");
    EXPECT_EQ(plan.entries[0].url, "wss://ws.weather.myserver.com");
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(plan.entries[static_cast<std::size_t>(i)].served);

    const db::DashboardEntry& file = plan.entries[3];
    EXPECT_TRUE(file.served);
    EXPECT_EQ(file.index, 4U);
    EXPECT_EQ(file.producer, "file-4");
    EXPECT_EQ(file.target, "/dash/my-event-provider.js");
    EXPECT_EQ(file.where.file, "/dash/config.js");
    EXPECT_EQ(file.where.line, 15);
    EXPECT_EQ(file.where.column, 3);
    ASSERT_EQ(plan.scenario.producers.size(), 1U);
    const sc::ProducerSpec& p = plan.scenario.producers[0];
    EXPECT_EQ(p.name, "file-4");
    EXPECT_EQ(p.type, sc::ProducerType::file);
    EXPECT_EQ(p.file.path, "/dash/my-event-provider.js");
    EXPECT_EQ(p.events, (std::vector<std::string>{"temperature", "humidity"}));
    EXPECT_EQ(interval_of(p), 5s);
    EXPECT_EQ(plan.scenario.source, "/dash/config.js");
}

TEST(DashboardConfig, DocumentationTextAsPrinted) {
    // Verbatim from the documentation: one line, so the first `//` comment swallows the rest, and
    // the `...` placeholder is what the parser meets.
    EXPECT_EQ(error_of(R"(sys_eventProviders = [ ... { type: "WSS", // WebSocket event provider url : "wss://ws.weather.myserver.com", // WebSocket server URL events: ["temperature"] // Event name }, ... ];)",
                       "c.js"),
              "c.js:1:24: expected a value (string, number, array, object, true, false, null), found '...'");
    EXPECT_EQ(error_of("sys_eventProviders = [\n  ...\n  { type: \"SSE\", url: \"http://localhost:8081\" },\n  ...\n];", "c.js"),
              "c.js:2:3: expected a value (string, number, array, object, true, false, null), found '...'");
}

TEST(DashboardConfig, ExamplesServedLocally) {
    const db::DashboardPlan plan = db::plan_from_dashboard_config(R"(
sys_eventProviders = [
  { type: "FETCH", url: "http://localhost:8080", events: ["temperature"], interval: 3000 },
  { type: "SSE", url: "http://localhost:8081", events: ["temperature_sse"] },
  { type: "WSS", url: "ws://localhost:8082", events: ["temperature"] },
  { type: "FILE", url: "file:///tmp/data.tmp", events: ["temperature_file"], interval: 3000 },
];)",
                                                                  "config.js");
    ASSERT_EQ(plan.scenario.producers.size(), 4U);
    const auto& fetch = plan.scenario.producers[0];
    EXPECT_EQ(fetch.name, "fetch-1");
    EXPECT_EQ(fetch.type, sc::ProducerType::fetch);
    EXPECT_EQ(fetch.host, "127.0.0.1");
    EXPECT_EQ(fetch.port, 8080);
    EXPECT_EQ(fetch.paths, std::vector<std::string>{"/"});
    EXPECT_EQ(fetch.fetch.methods, (std::vector<std::string>{"GET"}));
    EXPECT_EQ(interval_of(fetch), 3s);
    EXPECT_TRUE(std::holds_alternative<evsim::payload::RandomInt>(fetch.payload));
    const auto& sse = plan.scenario.producers[1];
    EXPECT_EQ(sse.name, "sse-2");
    EXPECT_EQ(sse.port, 8081);
    EXPECT_EQ(sse.events, (std::vector<std::string>{"temperature_sse"}));
    EXPECT_EQ(interval_of(sse), 3s);  // the default: the reference emitters' pace
    const auto& ws = plan.scenario.producers[2];
    EXPECT_EQ(ws.name, "ws-3");
    EXPECT_EQ(ws.type, sc::ProducerType::ws);
    EXPECT_EQ(ws.port, 8082);
    EXPECT_FALSE(plan.entries[2].tls);
    const auto& file = plan.scenario.producers[3];
    EXPECT_EQ(file.file.path, "/tmp/data.tmp");
    for (const auto& e : plan.entries) EXPECT_TRUE(e.notes.empty()) << e.index;
}

TEST(DashboardConfig, RealisticFile) {
    const std::string js = R"JS('use strict';
// sys_eventProviders = [ { type: "SSE", url: "http://localhost:1" } ];  (old setup, commented out)
/* sys_eventProviders = [ { type: "SSE", url: "http://localhost:2" } ]; */
var sys_title = "Weather - sys_eventProviders = [";
var sys_help = 'Edit sys_eventProviders = [ ... ] below';
var sys_banner = `Providers: ${ "sys_eventProviders = [" } ${ { a: `nested ${1} sys_eventProviders = [` }.a }`;
var sys_re = /sys_eventProviders = \[/g, sys_ratio = 4 / 2 / 1;
function count() { return sys_eventProviders.length; }
if (typeof sys_eventProviders == "undefined") { console.log("none yet"); }
const sys_lookup = (sys_eventProviders) => sys_eventProviders;
window.sys_eventProviders = [ // the live ones
  {
    type: 'sse',                       // lower case is fine
    url: 'http://127.0.0.1:9001/events?room=1#top',
    events: ['temperature', "humidity",],
    interval: 1500,
  },
  /* a disabled entry:
  { type: "WSS", url: "ws://localhost:9002" }, */
  { type: "Fetch", url: "http://[::1]:9003/api/now", method: "post", interval: 2.5, },
];
document.title = sys_title;  // code after the registry is never looked at: ( [ { `
)JS";
    const db::DashboardPlan plan = db::plan_from_dashboard_config(js, "web/config.js");
    ASSERT_EQ(plan.entries.size(), 2U);
    ASSERT_EQ(plan.scenario.producers.size(), 2U);
    const auto& sse = plan.scenario.producers[0];
    EXPECT_EQ(sse.name, "sse-1");
    EXPECT_EQ(sse.port, 9001);
    EXPECT_EQ(sse.paths, std::vector<std::string>{"/events"});
    EXPECT_EQ(sse.events, (std::vector<std::string>{"temperature", "humidity"}));
    EXPECT_EQ(interval_of(sse), 1500ms);
    EXPECT_EQ(sse.where.line, 12);
    EXPECT_EQ(sse.where.column, 3);
    const auto& fetch = plan.scenario.producers[1];
    EXPECT_EQ(fetch.name, "fetch-2");
    EXPECT_EQ(fetch.host, "::1");
    EXPECT_EQ(fetch.port, 9003);
    EXPECT_EQ(fetch.paths, std::vector<std::string>{"/api/now"});
    EXPECT_EQ(fetch.fetch.methods, (std::vector<std::string>{"POST"}));
    EXPECT_EQ(interval_of(fetch), 2500us);
    EXPECT_EQ(plan.entries[1].target, "[::1]:9003/api/now");
    EXPECT_EQ(plan.entries[0].target, "127.0.0.1:9001/events");
}

TEST(DashboardConfig, FindingTheAssignment) {
    const auto first_port = [](const std::string& js) {
        return db::plan_from_dashboard_config(js, "c.js").scenario.producers.at(0).port;
    };
    const std::string entry = "[{type: 'SSE', url: 'http://localhost:7000'}]";
    EXPECT_EQ(first_port("let sys_eventProviders = " + entry + ";"), 7000);
    EXPECT_EQ(first_port("const sys_eventProviders=" + entry), 7000);
    EXPECT_EQ(first_port("globalThis.sys_eventProviders /* c */ = // c\n " + entry), 7000);
    // The first real assignment counts; comparisons, arrows and longer names are not assignments.
    EXPECT_EQ(first_port("if (sys_eventProviders === []) x(); f = sys_eventProviders => 1;\n"
                         "my_sys_eventProviders = [{type: 'SSE', url: 'http://localhost:1'}];\n"
                         "sys_eventProvidersOld = [];\n"
                         "sys_eventProviders = " + entry + ";\n"
                         "sys_eventProviders = [{type: 'SSE', url: 'http://localhost:2'}];"),
              7000);
    // A regular expression with a quote in it must not start a string; a division is not a regex.
    EXPECT_EQ(first_port("var q = /\"/; var r = /[/']/i; var d = a / b / c;\nsys_eventProviders = " + entry), 7000);
    EXPECT_EQ(first_port("var half = (x) / 2; var s = \"/\";\nsys_eventProviders = " + entry), 7000);
    EXPECT_EQ(first_port("x = `a${`b${'}'}`}c`; sys_eventProviders = " + entry), 7000);
    EXPECT_EQ(first_port("\xEF\xBB\xBFsys_eventProviders = " + entry), 7000);
    EXPECT_TRUE(db::plan_from_dashboard_config("sys_eventProviders = [];", "c.js").entries.empty());
}

TEST(DashboardConfig, Errors) {
    EXPECT_EQ(error_of("", "c.js"), "c.js:1:1: no `sys_eventProviders = [ ... ]` assignment found");
    EXPECT_EQ(error_of("// sys_eventProviders = [{}];\nvar s = 'sys_eventProviders = [';", "c.js"),
              "c.js:1:1: no `sys_eventProviders = [ ... ]` assignment found");
    EXPECT_EQ(error_of("var a = 1;\nsys_eventProviders = loadProviders();", "c.js"),
              "c.js:2:22: sys_eventProviders is assigned something other than an array literal (found a function "
              "call 'loadProviders(...)'); evsim reads only `sys_eventProviders = [ ... ]`");
    EXPECT_EQ(error_of("sys_eventProviders = [\n  { type: 'SSE', url: getUrl() },\n];", "c.js"),
              "c.js:2:23: expected a value (string, number, array, object, true, false, null), found a function "
              "call 'getUrl(...)'");
    EXPECT_EQ(error_of("sys_eventProviders = [\n  { type: `SSE` },\n];", "c.js"),
              "c.js:2:11: expected a value (string, number, array, object, true, false, null), found a template "
              "literal (`...`)");
    EXPECT_EQ(error_of("sys_eventProviders = [\n  { type: 'SSE' }\n  { type: 'WSS' }\n];", "c.js"),
              "c.js:3:3: expected ',' or ']' after an array element, found '{'");
    EXPECT_EQ(error_of("var s = 'unterminated\nsys_eventProviders = [];", "c.js"),
              "c.js:1:22: line break inside a string; write \\n, or end the line with \\ to continue it");
    EXPECT_EQ(error_of("/* never closed\nsys_eventProviders = [];", "c.js"), "c.js:1:1: unterminated comment (no closing */)");
    EXPECT_EQ(error_of("var t = `open ${ 1 }\nsys_eventProviders = [];", "c.js"), "c.js:1:9: unterminated template literal");
    EXPECT_EQ(error_of("var t = `${ {\nfoo();", "c.js"), "c.js:1:9: unterminated template literal");
    EXPECT_EQ(error_of("sys_eventProviders = [" + std::string(100, '['), "c.js"), "c.js:1:86: nesting deeper than 64 levels");
    std::string nested_templates;
    for (int i = 0; i < 70; ++i) nested_templates += "`${";
    EXPECT_EQ(error_of(nested_templates, "c.js"), "c.js:1:193: template literals nested deeper than 64 levels");
    EXPECT_EQ(error_of(std::string(db::max_config_bytes + 1, ' '), "big.js"),
              "big.js:1:1: config.js is 4194305 bytes; the limit is 4194304 (4 MiB)");
}

TEST(DashboardConfig, LoadFile) {
    const auto dir = std::filesystem::temp_directory_path() / "evsim_dashboard_config_test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "config.js";
    std::ofstream(path) << "sys_eventProviders = [{ type: 'FILE', url: './data/feed.txt' }];\n";
    const db::DashboardPlan plan = db::load_dashboard_config(path);
    ASSERT_EQ(plan.scenario.producers.size(), 1U);
    EXPECT_EQ(plan.scenario.producers[0].file.path, (dir / "data/feed.txt").string());
    EXPECT_EQ(plan.scenario.source, path.string());

    const auto missing = (dir / "missing.js").string();
    try {
        db::load_dashboard_config(missing);
        FAIL();
    } catch (const sc::ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), missing + ":1:1: cannot read dashboard config '" + missing + "'");
    }
    EXPECT_THROW(db::load_dashboard_config(dir), sc::ScenarioError);
    std::ofstream(dir / "big.js") << std::string(db::max_config_bytes + 1, ' ');
    try {
        db::load_dashboard_config(dir / "big.js");
        FAIL();
    } catch (const sc::ScenarioError& e) {
        EXPECT_EQ(e.message(), "config.js is 4194305 bytes; the limit is 4194304 (4 MiB)");
    }
    std::filesystem::remove_all(dir);
}

TEST(DashboardConfig, Table) {
    const db::DashboardPlan plan = db::plan_from_dashboard_config(R"(sys_eventProviders = [
  { type: "SSE", url: "http://localhost:8081/events", events: ["temperature", "humidity"] },
  { type: "WSS", url: "wss://localhost:8443", events: ["temperature", "pressure"] },
  { type: "FETCH", url: "http://api.weather.myserver.com", events: ["temperature"] },
  { type: "FILE", url: "data.tmp" },
  { type: "MQTT", url: "mqtt://localhost" },
];)",
                                                                  "/srv/dash/config.js");
    EXPECT_EQ(db::format_entries(plan.entries),
              "#  type   url                              events                 serves as\n"
              "1  SSE    http://localhost:8081/events     temperature, humidity  sse-1 on 127.0.0.1:8081/events\n"
              "2  WSS    wss://localhost:8443             temperature, pressure  ws-2 on 127.0.0.1:8443/ (TLS); ws data has "
              "no event name: 'temperature' used, 'pressure' ignored\n"
              "3  FETCH  http://api.weather.myserver.com  temperature            skipped: remote host "
              "api.weather.myserver.com: not served locally\n"
              "4  FILE   data.tmp                         -                      file-4 writes /srv/dash/data.tmp; no events "
              "listed: sends 'temperature_file'\n"
              "5  MQTT   mqtt://localhost                 -                      skipped: unknown type 'MQTT' (expected SSE, "
              "WSS, FETCH or FILE)\n");
    EXPECT_EQ(db::format_entries({}), "#  type  url  events  serves as\n");
}

TEST(DashboardConfig, TableKeepsTheTerminalSafe) {
    const db::DashboardPlan plan = db::plan_from_dashboard_config(
        "sys_eventProviders = [{type: 'SSE\\x1b[2J', url: 'http://localhost:1/" + std::string(100, 'p') + "'}];", "c.js");
    const std::string table = db::format_entries(plan.entries);
    EXPECT_EQ(table.find('\x1b'), std::string::npos);
    EXPECT_NE(table.find("SSE?[2J"), std::string::npos);
    EXPECT_NE(table.find("http://localhost:1/" + std::string(38, 'p') + "..."), std::string::npos);
}

TEST(DashboardConfig, PathologicalInputsStayLinear) {
    // Each of these would be quadratic with a naive look-ahead; 4 MiB of them must still be quick.
    const std::size_t n = db::max_config_bytes / 2 - 32;
    std::string slashes;
    for (std::size_t i = 0; i < n; ++i) slashes += "(/";
    EXPECT_EQ(error_of(slashes, "c.js"), "c.js:1:1: no `sys_eventProviders = [ ... ]` assignment found");
    std::string names;
    while (names.size() + 40 < db::max_config_bytes) names += "sys_eventProviders = x;";
    EXPECT_NE(error_of(names, "c.js").find("is assigned something other than an array literal"), std::string::npos);
    std::string templates;
    for (std::size_t i = 0; i < n; ++i) templates += "`$";
    EXPECT_EQ(error_of(templates, "c.js"), "c.js:1:1: no `sys_eventProviders = [ ... ]` assignment found");
    const std::string long_line = "sys_eventProviders = [" + std::string(db::max_config_bytes - 30, ' ') + "]";
    EXPECT_TRUE(db::plan_from_dashboard_config(long_line, "c.js").entries.empty());
}
