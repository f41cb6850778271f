// The browser path of `evsim check client`: the page and its harness routes, the observation sink,
// and a whole case run through a stand-in browser (a script that loads the page with curl, opens
// the stream and posts observations as the real page does), so the plumbing is tested on machines
// without Chromium. Real Chromium runs the suite in apps/tests/check_client_cli_test.cpp.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <fstream>
#include <optional>

#include "browser_page.hpp"
#include "browser_run.hpp"
#include "evsim/conformance/client_checks.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

HarnessRequest request_for(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    HarnessRequest r;
    r.method = "GET";
    r.target = target;
    r.headers = std::move(headers);
    return r;
}

TEST(BrowserPage, CarriesTheCaseAndCannotBeBrokenOutOfByAValue) {
    PageConfig config{"/a.case", {"message", "</script><b>"}, BrowserPage{7, 2}, "http://127.0.0.1:9/__evsim/observe"};
    const auto html = browser_page_html(config);
    EXPECT_NE(html.find(R"("stream":"/a.case")"), std::string::npos) << html;
    EXPECT_NE(html.find(R"("eventSources":7)"), std::string::npos);
    EXPECT_NE(html.find(R"("websockets":2)"), std::string::npos);
    EXPECT_NE(html.find(R"("sink":"http://127.0.0.1:9/__evsim/observe")"), std::string::npos);
    EXPECT_NE(html.find(R"(\u003c/script>\u003cb>)"), std::string::npos);
    // The only closing script tag is the page's own.
    EXPECT_EQ(html.find("</script>"), html.rfind("</script>"));
}

TEST(BrowserPage, HarnessServesThePageAndAcceptsWebSocketsByTheRfc) {
    const auto harness = case_page_harness("<p>page</p>");
    const auto page = harness(request_for("/__evsim/page"));
    EXPECT_EQ(page.head.rfind("HTTP/1.1 200 OK\r\n", 0), 0U);
    EXPECT_NE(page.head.find("Content-Length: 11\r\n"), std::string::npos);
    ASSERT_EQ(page.body.size(), 1U);
    EXPECT_EQ(page.body[0].bytes, "<p>page</p>");
    // RFC 6455 1.3's example key and answer.
    const auto ws = harness(request_for("/__evsim/ws?socket=1", {{"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="}}));
    EXPECT_EQ(ws.head.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0U);
    EXPECT_NE(ws.head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
    EXPECT_EQ(ws.ending, Ending::hang);
    EXPECT_EQ(harness(request_for("/__evsim/ws")).head.rfind("HTTP/1.1 400", 0), 0U);
    EXPECT_EQ(harness(request_for("/favicon.ico")).head.rfind("HTTP/1.1 404", 0), 0U);
}

// Posts `body` to the sink the way the page does and returns the status line. With `declared`,
// only the head goes, saying the body is that long.
std::string post(const std::string& url, const std::string& method, const std::string& body,
                 std::optional<std::size_t> declared = std::nullopt) {
    const auto port = url.substr(url.rfind(':') + 1, url.find('/', 7) - url.rfind(':') - 1);
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(std::stoi(port))));
    asio::write(socket, asio::buffer(method + " /__evsim/observe HTTP/1.1\r\nHost: h\r\nContent-Length: " +
                                     std::to_string(declared.value_or(body.size())) + "\r\n\r\n" +
                                     (declared ? std::string() : body)));
    std::string out;
    boost::system::error_code ec;
    char buffer[512];
    while (!ec) out.append(buffer, socket.read_some(asio::buffer(buffer), ec));
    return out.substr(0, out.find("\r\n"));
}

TEST(ObservationSink, TakesPostedLinesInOrderAndKeepsBadOnesAsProblems) {
    ObservationSink sink;
    EXPECT_EQ(post(sink.url(), "POST", "{\"kind\":\"open\",\"time\":1}\n{\"kind\":\"message\",\"type\":\"message\","
                                       "\"data\":\"a\",\"lastEventId\":\"\"}\nnonsense\n"),
              "HTTP/1.1 204 No Content");
    EXPECT_EQ(post(sink.url(), "GET", ""), "HTTP/1.1 405 Method Not Allowed");
    std::vector<Observation> observations;
    std::vector<std::string> problems;
    sink.take(observations, problems);
    ASSERT_EQ(observations.size(), 2U);
    EXPECT_EQ(observations[0].kind, Observation::Kind::open);
    EXPECT_EQ(observations[0].client_time_ms, 1.0);
    EXPECT_EQ(observations[1].data, "a");
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_NE(problems[0].find("nonsense"), std::string::npos);
    sink.take(observations, problems);
    EXPECT_EQ(observations.size(), 2U);  // taken once
}

TEST(ObservationSink, ABatchTooLargeIsRefusedAndReportedNotLostSilently) {
    ObservationSink sink;
    EXPECT_EQ(post(sink.url(), "POST", "", kMaxHarnessBody + 1), "HTTP/1.1 413 Payload Too Large");
    std::vector<Observation> observations;
    std::vector<std::string> problems;
    sink.take(observations, problems);
    EXPECT_TRUE(observations.empty());
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_NE(problems[0].find("over 1 MiB was refused"), std::string::npos);
}

// A stand-in browser: loads the page it is given (the last argument), reads the stream path and the
// sink from the page's config, opens the stream and posts what a page would see.
std::filesystem::path stand_in_browser(const std::string& name, const std::string& body) {
    const auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    std::ofstream(path) << "#!/bin/bash\n" << body;
    ::chmod(path.c_str(), 0755);
    return path;
}

const char* kLoadsThePage = R"SH(url="${@: -1}"
page=$(curl -s "$url")
sink=$(printf '%s' "$page" | sed -n 's/.*"sink":"\([^"]*\)".*/\1/p')
stream=$(printf '%s' "$page" | sed -n 's/.*"stream":"\([^"]*\)".*/\1/p')
curl -s --data-binary '{"kind":"open","time":1}' "$sink"
body=$(curl -s -m 1 "${url%/__evsim/page}$stream")
data=${body#data: }
data=${data%%$'\n'*}
curl -s --data-binary "{\"kind\":\"message\",\"type\":\"message\",\"data\":\"$data\",\"lastEventId\":\"\",\"time\":2}" "$sink"
sleep 30
)SH";

ClientCase one_event_case() {
    return parse_client_case(R"(id: t.one
title: One event
clause: spec
server:
  - body: ["data: a\n\n"]
    end: hang
expect:
  events: [{data: a}]
  requests: 1
)",
                             "t");
}

TEST(BrowserRun, ACaseRunsThroughThePageAndItsObservationsComeBackToTheSink) {
    if (::access("/usr/bin/curl", X_OK) != 0) GTEST_SKIP() << "the stand-in browser needs curl (scripts/bootstrap.sh --test)";
    const auto browser = stand_in_browser("evsim-stand-in-browser", kLoadsThePage);
    ClientRunOptions options;
    options.browser = browser.string();
    options.settle = 100ms;
    const auto r = run_client_case(one_event_case(), options);
    std::filesystem::remove(browser);
    // Passing needs the page served (its request not counted), the stream requested once, and both
    // observations posted back in order.
    EXPECT_EQ(r.verdict, Verdict::pass) << r.observed;
    EXPECT_EQ(r.note, "");  // the open-streams summary is for cases with a page of their own
}

TEST(BrowserRun, ABrowserThatNeverLoadsThePageFailsTheCaseSayingSo) {
    const auto browser = stand_in_browser("evsim-idle-browser", "echo 'cannot open display' >&2; exit 3\n");
    ClientRunOptions options;
    options.browser = browser.string();
    options.browser_start = 2s;
    const auto r = run_client_case(one_event_case(), options);
    std::filesystem::remove(browser);
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_NE(r.observed.find("the browser did not load the case page"), std::string::npos) << r.observed;
    EXPECT_NE(r.observed.find("exited with 3: cannot open display"), std::string::npos) << r.observed;
}

TEST(BrowserRun, AMissingBrowserFailsWithItsPath) {
    ClientRunOptions options;
    options.browser = "/nonexistent/chromium";
    const auto r = run_client_case(one_event_case(), options);
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_NE(r.observed.find("/nonexistent/chromium is not an executable file"), std::string::npos) << r.observed;
}

TEST(BrowserRun, ABrowserOnlyCaseIsNotRunByAnAdapter) {
    auto c = parse_client_case(R"(id: t.page
title: Seven sources
clause: spec
level: INFO
browser: {event_sources: 7}
server: [{end: hang}]
expect: {opens: 6}
)",
                               "t");
    ClientRunOptions options;
    options.adapter = "exit 1";
    const auto r = run_client_case(c, options);
    EXPECT_EQ(r.verdict, Verdict::info);
    EXPECT_EQ(r.observed, "not run: the case needs a browser (--browser)");
}

TEST(BrowserRun, TheCommandRunsHeadlessWithItsOwnProfile) {
    const auto command = browser_command("/usr/bin/chromium", "/tmp/evsim-browser-x");
    EXPECT_EQ(command.rfind("exec '/usr/bin/chromium' --headless=new", 0), 0U) << command;
    EXPECT_NE(command.find("--user-data-dir='/tmp/evsim-browser-x'"), std::string::npos);
    EXPECT_NE(command.find(" {url} >/dev/null"), std::string::npos);
}

}  // namespace
}  // namespace evsim::conformance
