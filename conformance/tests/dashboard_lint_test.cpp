// evsim lint's rules on config.js text, each finding with its severity, rule, entry and position,
// and the two report formats.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "evsim/conformance/dashboard_lint.hpp"
#include "evsim/core/dashboard_config.hpp"

namespace evsim::conformance {
namespace {

std::vector<Finding> lint(const std::string& js, LintOptions options = {}) {
    const auto registry = dashboard::read_registry(js, "config.js");
    return lint_dashboard(registry, dashboard::plan_from_registry(registry, "config.js"), options);
}

// "severity rule #entry line:column" per finding, for compact expectations.
std::vector<std::string> summary(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) {
        out.push_back(std::string(to_string(f.severity)) + " " + f.rule + " #" + std::to_string(f.entry) + " " +
                      std::to_string(f.where.line) + ":" + std::to_string(f.where.column));
    }
    return out;
}

std::string sse_entries(int count, const std::string& base) {
    std::string js;
    for (int i = 0; i < count; ++i)
        js += "  { type: 'SSE', url: '" + base + "/s" + std::to_string(i) + "', events: ['e'] },\n";
    return js;
}

TEST(DashboardLintTest, ACleanRegistryHasNoFindings) {
    EXPECT_TRUE(lint("sys_eventProviders = [\n"
                     "  { type: 'SSE', url: 'http://localhost:8081', events: ['temperature_sse'] },\n"
                     "  { type: 'WSS', url: 'ws://localhost:8082', events: ['temperature'] },\n"
                     "  { type: 'FETCH', url: 'http://localhost:8080', events: ['t'], interval: 5000 },\n"
                     "  { type: 'FILE', url: '/tmp/data.tmp', events: ['temperature_file'], interval: 3000 },\n"
                     "];\n")
                    .empty());
}

TEST(DashboardLintTest, SixEventSourcesToOneHostAreFineTheSeventhNeverConnects) {
    EXPECT_TRUE(lint("sys_eventProviders = [\n" + sse_entries(6, "http://localhost:8081") + "];\n").empty());
    const auto findings = lint("sys_eventProviders = [\n" + sse_entries(8, "http://localhost:8081") + "];\n");
    ASSERT_EQ(summary(findings), (std::vector<std::string>{"error connection-limit #7 8:3"}));
    EXPECT_NE(findings[0].message.find("8 EventSources to http://localhost:8081"), std::string::npos);
    EXPECT_NE(findings[0].message.find("entries 7 and 8 never connect"), std::string::npos) << findings[0].message;
    // Another port is another host; WebSockets do not count.
    EXPECT_TRUE(lint("sys_eventProviders = [\n" + sse_entries(6, "http://localhost:8081") +
                     sse_entries(1, "http://localhost:9000") +
                     "  { type: 'WSS', url: 'ws://localhost:8081/w', events: ['e'] },\n];\n")
                    .empty());
}

TEST(DashboardLintTest, FetchStarvesBehindSixStreamsAndHttpsIsOnlyAWarning) {
    const auto starving = lint("sys_eventProviders = [\n" + sse_entries(6, "http://localhost:8081") +
                               "  { type: 'FETCH', url: 'http://localhost:8081/now', events: ['e'], interval: 1000 },\n"
                               "];\n");
    ASSERT_EQ(summary(starving), (std::vector<std::string>{"error connection-limit #7 8:3"}));
    EXPECT_NE(starving[0].message.find("the requests wait forever"), std::string::npos);
    // Over https the server may multiplex them with HTTP/2.
    const auto secure = lint("sys_eventProviders = [\n" + sse_entries(7, "https://localhost") + "];\n");
    ASSERT_EQ(summary(secure), (std::vector<std::string>{"warning connection-limit #7 8:3"}));
    EXPECT_NE(secure[0].message.find("unless the server speaks HTTP/2"), std::string::npos);
}

TEST(DashboardLintTest, SchemesThatDoNotFitTheType) {
    const auto findings = lint("sys_eventProviders = [\n"
                               "  { type: 'SSE', url: 'ws://localhost:1', events: ['e'] },\n"
                               "  { type: 'WSS', url: 'http://localhost:2', events: ['e'] },\n"
                               "  { type: 'FILE', url: 'https://x.example/data.js', events: ['e'], interval: 1000 },\n"
                               "  { type: 'MQTT', url: 'mqtt://localhost' },\n"
                               "  { type: 'FETCH', events: ['e'], interval: 1000 },\n"
                               "  { type: 'SSE', url: '/events', events: ['e'] },\n"
                               "  { type: 'WSS', url: '/live', events: ['e'] },\n"
                               "  'not an entry',\n"
                               "];\n");
    EXPECT_EQ(summary(findings), (std::vector<std::string>{
                                     "error scheme #1 2:23", "error scheme #2 3:23", "error scheme #3 4:24",
                                     "error scheme #4 5:11", "error scheme #5 6:3", "info scheme #6 7:23",
                                     "error scheme #7 8:23", "error scheme #8 9:3"}));
    EXPECT_EQ(findings[0].message, "SSE needs an http:// or https:// URL, got 'ws:'");
    EXPECT_EQ(findings[1].message, "WSS needs an ws:// or wss:// URL, got 'http:'");
    EXPECT_NE(findings[2].message.find("a web address is a FETCH source"), std::string::npos);
    EXPECT_EQ(findings[3].message, "unknown type 'MQTT': expected SSE, WSS, FETCH or FILE");
}

TEST(DashboardLintTest, EventsAndIntervals) {
    const auto findings = lint("sys_eventProviders = [\n"
                               "  { type: 'WSS', url: 'ws://h/', events: ['a', 'b', 'c'] },\n"
                               "  { type: 'SSE', url: 'http://h/', interval: 100 },\n"
                               "  { type: 'FETCH', url: 'http://h/f', events: ['a'], interval: 100 },\n"
                               "  { type: 'FETCH', url: 'http://h/g', events: ['a'], interval: '5s' },\n"
                               "  { type: 'FILE', url: 'data.js', events: ['a'] },\n"
                               "];\n");
    EXPECT_EQ(summary(findings), (std::vector<std::string>{
                                     "warning events #1 2:42", "warning events #2 3:3", "info interval #2 3:46",
                                     "warning interval #3 4:64", "error interval #4 5:64", "warning interval #5 6:3"}));
    EXPECT_EQ(findings[0].message, "WSS data carries no event name, so only 'a' can fire; 'b', 'c' never will");
    EXPECT_EQ(findings[3].message,
              "polled every 100 ms (600 requests a minute for every open dashboard); the minimum is 250 ms");
    LintOptions relaxed;
    relaxed.min_interval = std::chrono::milliseconds(50);
    EXPECT_TRUE(lint("sys_eventProviders = [{ type: 'FETCH', url: 'http://h/', events: ['a'], interval: 100 }];",
                     relaxed)
                    .empty());
}

TEST(DashboardLintTest, DuplicateSources) {
    const auto findings = lint("sys_eventProviders = [\n"
                               "  { type: 'SSE', url: 'http://h/e', events: ['a'] },\n"
                               "  { type: 'SSE', url: 'http://h/e', events: ['b'] },\n"
                               "];\n");
    ASSERT_EQ(summary(findings), (std::vector<std::string>{"warning duplicate #2 3:23"}));
    EXPECT_NE(findings[0].message.find("the same source as entry 1"), std::string::npos);
}

const char* credentialed =
    "sys_eventProviders = [\n"
    "  { type: 'FETCH', url: 'http://api.example/now', events: ['a'], interval: 1000, credentials: 'include' },\n"
    "];\n";

TEST(DashboardLintTest, CredentialsWithoutProbeAreANote) {
    EXPECT_EQ(summary(lint(credentialed)), (std::vector<std::string>{"info credentials #1 2:95"}));
    EXPECT_EQ(summary(lint("sys_eventProviders = [{ type: 'FETCH', url: 'http://h/', events: ['a'], interval: 1000, "
                           "credentials: 'all' }];")),
              (std::vector<std::string>{"error credentials #1 1:102"}));
}

TEST(DashboardLintTest, TheProbeTellsWhetherTheBrowserWouldDeliverTheAnswer) {
    const auto answering = [](std::vector<std::pair<std::string, std::string>> headers) {
        LintOptions options;
        options.origin = "http://dash.example";
        options.probe = [headers](const std::string& url, const std::string& method, const std::string& origin) {
            EXPECT_EQ(url, "http://api.example/now");
            EXPECT_EQ(method, "GET");
            EXPECT_EQ(origin, "http://dash.example");
            net::HttpAnswer answer;
            answer.status = 200;
            answer.headers = headers;
            return answer;
        };
        return lint(credentialed, options);
    };
    const auto star = answering({{"Access-Control-Allow-Origin", "*"}});
    ASSERT_EQ(summary(star), (std::vector<std::string>{"error credentials #1 2:95"}));
    EXPECT_NE(star[0].message.find("which browsers refuse for requests with credentials"), std::string::npos);
    EXPECT_EQ(summary(answering({})), (std::vector<std::string>{"error credentials #1 2:95"}));
    EXPECT_EQ(summary(answering({{"access-control-allow-origin", "http://dash.example"}})),
              (std::vector<std::string>{"error credentials #1 2:95"}));  // no Allow-Credentials
    EXPECT_TRUE(answering({{"Access-Control-Allow-Origin", "http://dash.example"},
                           {"Access-Control-Allow-Credentials", "true"}})
                    .empty());

    LintOptions unreachable;
    unreachable.probe = [](const std::string&, const std::string&, const std::string&) -> net::HttpAnswer {
        throw net::HttpExchangeError("connect to", "Connection refused");
    };
    const auto failed = lint(credentialed, unreachable);
    ASSERT_EQ(summary(failed), (std::vector<std::string>{"warning credentials #1 2:95"}));
    EXPECT_NE(failed[0].message.find("connect to: Connection refused"), std::string::npos);
}

TEST(DashboardLintTest, ReportsAsTextAndJson) {
    const auto findings = lint("sys_eventProviders = [\n"
                               "  { type: 'SSE', url: 'ws://h/', events: ['a'] },\n"
                               "  { type: 'FETCH', url: 'http://h/', events: ['a'], interval: 10 },\n"
                               "];\n");
    EXPECT_EQ(format_text(findings, 2),
              "config.js:2:23: error: SSE needs an http:// or https:// URL, got 'ws:' [scheme]\n"
              "config.js:3:63: warning: polled every 10 ms (6000 requests a minute for every open dashboard); the "
              "minimum is 250 ms [interval]\n"
              "1 error, 1 warning, 0 notes in 2 entries\n");
    const auto json = format_json(findings, 2, "config.js");
    EXPECT_EQ(json.rfind("{\"file\":\"config.js\",\"entries\":2,\"errors\":1,\"warnings\":1,\"notes\":0,\"findings\":[", 0), 0U)
        << json;
    EXPECT_NE(json.find("{\"severity\":\"error\",\"rule\":\"scheme\",\"entry\":1,\"line\":2,\"column\":23,"), std::string::npos)
        << json;
}

}  // namespace
}  // namespace evsim::conformance
