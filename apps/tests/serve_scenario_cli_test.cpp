// `evsim serve SCENARIO.yaml` as a user runs it: the real binary, a scenario written to a temp
// file, `evsim listen` as the client.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <algorithm>

#include "scenario_file.hpp"
#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;


TEST(ServeScenarioCli, RunsTheProducersPrintsTheirUrlsAndSummarisesOnSigterm) {
    const ScenarioFile data_file("scenario-readings.txt", "");
    const ScenarioFile scenario("run.yaml",
                                "seed: 3\n"
                                "producers:\n"
                                "  - {name: ticks, type: sse, events: [tick], cadence: rate 50/s,\n"
                                "     payload: {counter: {start: 100}}, sse: {id: counter}}\n"
                                "  - {name: poll, type: fetch, path: /poll}\n"
                                "  - {name: disk, type: file, file: {path: '" + data_file.path() + "'}}\n");
    Subprocess serve({EVSIM_BINARY, "serve", scenario.path()});
    ASSERT_TRUE(serve.wait_for_output("Press Ctrl+C to stop.", kLimit)) << serve.output_so_far();
    const std::string table = serve.output_so_far();
    EXPECT_NE(table.find("Serving 3 producers from " + scenario.path() + " (seed 3)"), std::string::npos) << table;
    EXPECT_NE(table.find("file://" + data_file.path()), std::string::npos) << table;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(table, m, std::regex("ticks +sse +(http://127\\.0\\.0\\.1:[0-9]+)\\n"))) << table;
    ASSERT_TRUE(std::regex_search(table, std::regex("poll +fetch +http://127\\.0\\.0\\.1:[0-9]+/poll\\n"))) << table;

    const auto listen = run_process({EVSIM_BINARY, "listen", m[1].str(), "--max-events", "3", "-q"}, kLimit);
    ASSERT_EQ(listen.exit_code, 0) << listen.err;
    // The counter payload: consecutive values with consecutive counter ids.
    const std::regex message("\\{\"kind\":\"message\",\"type\":\"tick\",\"data\":\"(1[0-9][0-9])\",\"lastEventId\":\"([0-9]+)\"\\}");
    std::vector<int> values;
    std::vector<int> ids;
    for (auto it = std::sregex_iterator(listen.out.begin(), listen.out.end(), message); it != std::sregex_iterator(); ++it) {
        values.push_back(std::stoi((*it)[1].str()));
        ids.push_back(std::stoi((*it)[2].str()));
    }
    ASSERT_EQ(values.size(), 3U) << listen.out;
    for (std::size_t i = 1; i < values.size(); ++i) {
        EXPECT_EQ(values[i], values[i - 1] + 1) << listen.out;
        EXPECT_EQ(ids[i], ids[i - 1] + 1) << listen.out;
    }
    EXPECT_EQ(values[0] - 100, ids[0] - 1);  // id n carries the counter's n-th value

    serve.send_signal(SIGTERM);
    const auto result = serve.finish(kLimit);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(std::regex_search(result.out, std::regex("Stopped\\.\\n +name +events +bytes"))) << result.out;
    EXPECT_TRUE(std::regex_search(result.out, std::regex("\\n  ticks +[1-9][0-9]* +[1-9][0-9]* +0 +1 +0\\n"))) << result.out;
}

TEST(ServeScenarioCli, MistakesAreReportedWithTheirPositionAndExitTwo) {
    const ScenarioFile typo("typo.yaml", "producers:\n  - name: a\n    type: sse\n    cadense: every 1s\n");
    const auto r = run_process({EVSIM_BINARY, "serve", typo.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(typo.path() + ":4:5: unknown key 'cadense' in producer (did you mean 'cadence'?)"),
              std::string::npos)
        << r.err;

    const auto missing = run_process({EVSIM_BINARY, "serve", "/nonexistent/evsim.yaml"}, kLimit);
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("/nonexistent/evsim.yaml:1:1: cannot read scenario file"), std::string::npos)
        << missing.err;

    const ScenarioFile fine("fine.yaml", "producers:\n  - {name: a, type: sse}\n");
    for (const std::vector<std::string>& extra :
         std::vector<std::vector<std::string>>{{"--sse-port", "0"}, {"--interval", "1s"}, {"--seed", "x"}, {"second.yaml"}}) {
        std::vector<std::string> argv = {EVSIM_BINARY, "serve", fine.path()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const auto bad = run_process(argv, kLimit);
        EXPECT_EQ(bad.exit_code, 2) << extra[0] << ": " << bad.err;
        EXPECT_NE(bad.err.find("Try 'evsim serve --help'."), std::string::npos) << bad.err;
    }
}

TEST(ServeScenarioCli, AnUnwritableFileExitsOne) {
    const ScenarioFile scenario("unwritable.yaml",
                                "producers:\n  - {name: f, type: file, file: {path: /nonexistent-dir/x.txt}}\n");
    const auto r = run_process({EVSIM_BINARY, "serve", scenario.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("/nonexistent-dir/x"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace evsim::app::testing

namespace evsim::app::testing {
namespace {

// A port that was free a moment ago: config.js names fixed ports, so this test needs one. The
// window between closing the probe and evsim binding is tiny, and the test retries once.
std::uint16_t probe_free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

TEST(ServeDashboardCli, ServesLocalEntriesAndExplainsTheSkippedOnes) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        const auto port = std::to_string(probe_free_port());
        const ScenarioFile config("dash-config.js",
                                  "// the dashboard's own registry, other code around it\n"
                                  "var note = 'sys_eventProviders = [ not this ]';\n"
                                  "sys_eventProviders = [\n"
                                  "  { type: 'SSE', url: 'http://localhost:" + port + "/live', events: ['t'], interval: 20 },\n"
                                  "  { type: \"FETCH\", url: \"http://api.example.com/x\", events: [\"t\"] }, // remote\n"
                                  "  { type: 'MQTT', url: 'mqtt://localhost' },\n"
                                  "];\n");
        Subprocess serve({EVSIM_BINARY, "serve", "--dashboard", config.path()});
        if (!serve.wait_for_output("Press Ctrl+C to stop.", kLimit)) {
            if (attempt == 0 && serve.finish(kLimit).exit_code == 1) continue;  // lost the port race
            FAIL() << serve.output_so_far();
        }
        const std::string table = serve.output_so_far();
        EXPECT_TRUE(std::regex_search(table, std::regex("1 +SSE +http://localhost:" + port + "/live +t +sse-1 on 127\\.0\\.0\\.1:" + port)))
            << table;
        EXPECT_TRUE(std::regex_search(table, std::regex("2 +FETCH .*skipped: remote host api\\.example\\.com"))) << table;
        EXPECT_TRUE(std::regex_search(table, std::regex("3 +MQTT .*skipped: unknown type 'MQTT'"))) << table;
        const auto listen = run_process(
            {EVSIM_BINARY, "listen", "http://127.0.0.1:" + port + "/live", "--max-events", "2", "-q"}, kLimit);
        EXPECT_EQ(listen.exit_code, 0) << listen.err;
        EXPECT_EQ(std::count(listen.out.begin(), listen.out.end(), '\n'), 3) << listen.out;  // open + 2 messages
        serve.send_signal(SIGINT);
        EXPECT_EQ(serve.finish(kLimit).exit_code, 0);
        return;
    }
}

TEST(ServeDashboardCli, HttpsEntriesAreServedOverTls) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        const auto port = std::to_string(probe_free_port());
        const ScenarioFile config("dash-tls.js", "sys_eventProviders = [\n"
                                                 "  { type: 'SSE', url: 'https://localhost:" + port +
                                                     "/secure', events: ['s'], interval: 20 },\n];\n");
        Subprocess serve({EVSIM_BINARY, "serve", "--dashboard", config.path()});
        if (!serve.wait_for_output("Press Ctrl+C to stop.", kLimit)) {
            if (attempt == 0 && serve.finish(kLimit).exit_code == 1) continue;  // lost the port race
            FAIL() << serve.output_so_far();
        }
        const std::string table = serve.output_so_far();
        EXPECT_NE(table.find("(TLS)"), std::string::npos) << table;
        EXPECT_NE(table.find("TLS: self-signed"), std::string::npos) << table;
        EXPECT_NE(table.find("https://127.0.0.1:" + port + "/secure"), std::string::npos) << table;
        const auto listen = run_process(
            {EVSIM_BINARY, "listen", "-k", "https://127.0.0.1:" + port + "/secure", "--max-events", "1", "-q"}, kLimit);
        EXPECT_EQ(listen.exit_code, 0) << listen.err;
        EXPECT_NE(listen.out.find("\"type\":\"s\""), std::string::npos) << listen.out;
        serve.send_signal(SIGINT);
        EXPECT_EQ(serve.finish(kLimit).exit_code, 0);
        return;
    }
}

TEST(ServeDashboardCli, NothingServableExitsOneAndBadJavaScriptExitsTwo) {
    const ScenarioFile remote("dash-remote.js", "sys_eventProviders = [{type: 'SSE', url: 'http://example.com/'}];\n");
    const auto r = run_process({EVSIM_BINARY, "serve", "--dashboard", remote.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("skipped: remote host example.com"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("no entry of " + remote.path() + " can be served"), std::string::npos) << r.err;

    const ScenarioFile broken("dash-broken.js", "sys_eventProviders = [{type: 'SSE' url: 'x'}];\n");
    const auto b = run_process({EVSIM_BINARY, "serve", "--dashboard", broken.path()}, kLimit);
    EXPECT_EQ(b.exit_code, 2);
    EXPECT_NE(b.err.find(broken.path() + ":1:"), std::string::npos) << b.err;

    const auto both = run_process({EVSIM_BINARY, "serve", "--dashboard", remote.path(), "x.yaml"}, kLimit);
    EXPECT_EQ(both.exit_code, 2);
    const auto port_flag = run_process({EVSIM_BINARY, "serve", "--dashboard", remote.path(), "--sse-port", "1"}, kLimit);
    EXPECT_EQ(port_flag.exit_code, 2);
    const auto tls_flag = run_process({EVSIM_BINARY, "serve", "--dashboard", remote.path(), "--tls"}, kLimit);
    EXPECT_EQ(tls_flag.exit_code, 2);
}

}  // namespace
}  // namespace evsim::app::testing
