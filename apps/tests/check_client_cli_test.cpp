// `evsim check client` as CI runs it: evsim's own client (evsim listen) passes every MUST case of the
// suite, reports go to files, known deviations are honoured, and usage mistakes exit 2.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("evsim-" + std::to_string(::getpid()) + "-" + name);
}

std::string read(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(CheckClientCli, EvsimListenPassesEveryMustCase) {
    const auto junit = temp_file("client.xml");
    const auto run = run_process({EVSIM_BINARY, "check", "client", "--adapter", "evsim", "--format", "junit", "--output",
                                  junit.string()},
                                 180s);
    EXPECT_EQ(run.exit_code, 0) << run.err << read(junit);
    const auto xml = read(junit);
    EXPECT_NE(xml.find("<testsuite name=\"evsim check client evsim listen\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("failures=\"0\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("name=\"reconnect.after-clean-end\""), std::string::npos);
    std::filesystem::remove(junit);
}

// Debian's Chromium, as CI installs it (scripts/bootstrap.sh --test). Without it these tests say so
// and skip; CI has it, so there they run.
constexpr const char* kChromium = "/usr/bin/chromium";

TEST(CheckClientCli, ChromiumHoldsSixConnectionsPerHostButNotWebSockets) {
    if (::access(kChromium, X_OK) != 0) GTEST_SKIP() << kChromium << " is not installed (scripts/bootstrap.sh --test)";
    const auto run = run_process({EVSIM_BINARY, "check", "client", "--browser", kChromium, "--case", "browser.*",
                                  "--format", "json"},
                                 120s);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find(R"("target":"client: Chromium )"), std::string::npos) << run.out;
    // Both pass: six streams opened, the seventh never reached the server; three WebSockets opened beside six.
    EXPECT_EQ(run.out.find(R"("verdict":"INFO")"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("6 of 7 EventSource(s) opened; 1 stayed pending (CONNECTING, no error) for the whole watch; "
                           "the server had at most 6 stream(s) open at once"),
              std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("6 of 6 EventSource(s) opened; the server had at most 6 stream(s) open at once; 3 of 3 "
                           "WebSocket(s) to the same host opened beside them"),
              std::string::npos)
        << run.out;
}

TEST(CheckClientCli, ChromiumRunsParsingAndReconnectionCases) {
    if (::access(kChromium, X_OK) != 0) GTEST_SKIP() << kChromium << " is not installed (scripts/bootstrap.sh --test)";
    const auto run = run_process({EVSIM_BINARY, "check", "client", "--browser", kChromium, "--case", "parse.crlf-split-across-writes",
                                  "--case", "reconnect.after-clean-end", "--case", "throughput.2000-events"},
                                 120s);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("3 passed, 0 non-strict, 0 failed, 0 info"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("events/s sustained (offered"), std::string::npos) << run.out;
}

TEST(CheckClientCli, ListsCasesAndSelectsThemByPrefix) {
    const auto list = run_process({EVSIM_BINARY, "check", "client", "--list", "--case", "utf8.*"}, kLimit);
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(list.out,
              "utf8.invalid-bytes-replaced  [MUST] Invalid UTF-8 becomes U+FFFD\n"
              "utf8.split-across-writes  [MUST] A UTF-8 sequence split across writes decodes as one character\n");
}

TEST(CheckClientCli, AFailingClientExitsOneUnlessItsDeviationIsKnown) {
    // A "client" that reports one fixed message whatever the stream says.
    const std::string adapter =
        R"(printf '{"kind":"open"}\n{"kind":"message","type":"message","data":"zzz","lastEventId":""}\n' #{url})";
    const auto failing = run_process({EVSIM_BINARY, "check", "client", "--adapter", adapter, "--case", "parse.cr-lines"}, kLimit);
    EXPECT_EQ(failing.exit_code, 1) << failing.out << failing.err;
    EXPECT_NE(failing.out.find("FAIL       parse.cr-lines"), std::string::npos) << failing.out;
    EXPECT_NE(failing.out.find("observed: message 1: expected message \"a\" id \"\", observed message \"zzz\" id \"\""),
              std::string::npos)
        << failing.out;

    const auto known = temp_file("known.yaml");
    std::ofstream(known) << "known:\n  parse.cr-lines: always says zzz\n";
    const auto tolerated = run_process({EVSIM_BINARY, "check", "client", "--adapter", adapter, "--case", "parse.cr-lines",
                                        "--expectations", known.string(), "--format", "json"},
                                       kLimit);
    EXPECT_EQ(tolerated.exit_code, 0) << tolerated.out << tolerated.err;
    EXPECT_NE(tolerated.out.find(R"("verdict":"INFO")"), std::string::npos) << tolerated.out;
    EXPECT_NE(tolerated.out.find("known deviation (always says zzz)"), std::string::npos) << tolerated.out;
    std::filesystem::remove(known);
}

TEST(CheckClientCli, TheMatrixPutsTwoClientsSideBySide) {
    const auto good = temp_file("good.json");
    const auto bad = temp_file("bad.json");
    const auto page = temp_file("matrix.html");
    const std::string wrong =
        R"(printf '{"kind":"open"}\n{"kind":"message","type":"message","data":"zzz","lastEventId":""}\n' #{url})";
    EXPECT_EQ(run_process({EVSIM_BINARY, "check", "client", "--adapter", "evsim", "--case", "parse.lf-lines", "--format",
                           "json", "--output", good.string()},
                          kLimit)
                  .exit_code,
              0);
    EXPECT_EQ(run_process({EVSIM_BINARY, "check", "client", "--adapter", wrong, "--case", "parse.lf-lines", "--format",
                           "json", "--output", bad.string()},
                          kLimit)
                  .exit_code,
              1);
    const auto matrix = run_process({EVSIM_BINARY, "check", "matrix", good.string(), bad.string(), "-o", page.string()}, kLimit);
    EXPECT_EQ(matrix.exit_code, 0) << matrix.err;
    const auto html = read(page);
    EXPECT_NE(html.find("<th>client: evsim listen</th><th>client: printf"), std::string::npos) << html;
    EXPECT_NE(html.find("<code>parse.lf-lines</code>"), std::string::npos);
    EXPECT_NE(html.find("<summary>PASS</summary>"), std::string::npos);
    EXPECT_NE(html.find("<summary>FAIL</summary>"), std::string::npos);

    // A file that is not a report is named in the error.
    std::ofstream(page) << "{}";
    const auto refused = run_process({EVSIM_BINARY, "check", "matrix", good.string(), page.string()}, kLimit);
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find(page.string() + ": \"target\" is missing"), std::string::npos) << refused.err;
    const auto none = run_process({EVSIM_BINARY, "check", "matrix"}, kLimit);
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("which reports?"), std::string::npos) << none.err;
    for (const auto& f : {good, bad, page}) std::filesystem::remove(f);
}

TEST(CheckClientCli, SigtermStopsTheAdapterAndStillWritesTheReport) {
    // The adapter says it started through a FIFO the test waits on, then outlives any case unless
    // it is stopped.
    const auto fifo = temp_file("adapter-started");
    std::filesystem::remove(fifo);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const int started = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(started, 0);
    const std::string adapter = "echo started > '" + fifo.string() + "'; exec sleep 37.25 #{url}";
    Subprocess evsim({EVSIM_BINARY, "check", "client", "--adapter", adapter, "--case", "parse.*", "--format", "json"});
    pollfd wait{started, POLLIN, 0};
    ASSERT_EQ(::poll(&wait, 1, static_cast<int>(std::chrono::milliseconds(kLimit).count())), 1);
    ::close(started);
    evsim.send_signal(SIGTERM);
    const auto r = evsim.finish(kLimit);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("interrupted before the case ended"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("evsim check client: interrupted; 1 of "), std::string::npos) << r.err;
    // Its adapter was stopped with it ("[s]leep" keeps the pattern from matching pgrep's own shell).
    EXPECT_NE(std::system("pgrep -f '[s]leep 37.25' > /dev/null"), 0);
    std::filesystem::remove(fifo);
}

TEST(CheckClientCli, UsageMistakesExitTwo) {
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"check", "client"}, "which client? (--adapter 'CMD {url}', --adapter evsim or --browser PATH)"},
        {{"check", "client", "--adapter", "evsim", "--browser", "/bin/true"}, "--adapter or --browser, not both"},
        {{"check", "client", "--browser", "/nonexistent/chromium"}, "--browser: /nonexistent/chromium is not an executable"},
        {{"check", "client", "--adapter", ""}, "--adapter: the command is empty"},
        {{"check", "client", "--adapter", "evsim", "--name", ""}, "--name: empty"},
        {{"check", "client", "--adapter", "node a.js"}, "--adapter: the command needs {url}"},
        {{"check", "client", "--adapter", "evsim", "--case", "nothing.*"}, "no case matches --case"},
        {{"check", "client", "--adapter", "evsim", "--format", "xml"}, "--format: expected text, json or junit"},
        {{"check", "client", "--adapter", "evsim", "--cases", "/nonexistent"}, "/nonexistent"},
        {{"check", "client", "--adapter", "evsim", "--expectations", "/nonexistent.yaml"}, "--expectations:"},
        {{"check", "client", "extra"}, "unexpected argument 'extra'"},
    };
    for (const auto& [args, message] : cases) {
        std::vector<std::string> argv{EVSIM_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto result = run_process(argv, kLimit);
        EXPECT_EQ(result.exit_code, 2) << message;
        EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
    }
}

}  // namespace
}  // namespace evsim::app::testing
