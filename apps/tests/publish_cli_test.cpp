// `evsim publish` against a real `evsim serve SCENARIO --control 0`: the event reaches an
// `evsim listen` client and the counters; usage and server errors exit 2 and 1 with clear messages.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>

#include "scenario_file.hpp"
#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;

// The serving process, its SSE URL and its control URL, read from the table it prints.
struct Serving {
    explicit Serving(const std::string& scenario_path) : process({EVSIM_BINARY, "serve", scenario_path, "--control", "0"}) {
        if (!process.wait_for_output("Press Ctrl+C to stop.", kLimit)) return;
        const std::string table = process.output_so_far();
        std::smatch m;
        if (std::regex_search(table, m, std::regex("alerts +sse +(http://127\\.0\\.0\\.1:[0-9]+)\\n"))) sse_url = m[1];
        if (std::regex_search(table, m, std::regex("Control API: (http://127\\.0\\.0\\.1:[0-9]+)\\nPress Ctrl"))) {
            control_url = m[1];
        }
    }
    Subprocess process;
    std::string sse_url;
    std::string control_url;
};

// One SSE producer that emits only when started (then once an hour): anything more was published.
constexpr const char* scenario_yaml = "producers:\n  - {name: alerts, type: sse, cadence: every 1h}\n";

TEST(PublishCli, AnEventReachesAListenerAndTheCounters) {
    const ScenarioFile scenario("publish.yaml", scenario_yaml);
    Serving serving(scenario.path());
    ASSERT_FALSE(serving.sse_url.empty()) << serving.process.output_so_far();
    ASSERT_FALSE(serving.control_url.empty()) << serving.process.output_so_far();

    Subprocess listen({EVSIM_BINARY, "listen", serving.sse_url, "--max-events", "3", "-q"});
    ASSERT_TRUE(listen.wait_for_output("\"kind\":\"open\"", kLimit)) << listen.output_so_far();

    const auto text = run_process({EVSIM_BINARY, "publish", "--control", serving.control_url, "alerts", "--event",
                                   "alert", "overheated"}, kLimit);
    EXPECT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("\"published\":true"), std::string::npos) << text.out;
    const auto value = run_process({EVSIM_BINARY, "publish", "--control", serving.control_url + "/", "--json",
                                    "alerts", R"({"level":3})"}, kLimit);
    EXPECT_EQ(value.exit_code, 0) << value.err;

    const auto listened = listen.finish(kLimit);
    ASSERT_EQ(listened.exit_code, 0) << listened.err;
    EXPECT_NE(listened.out.find(R"("type":"alert","data":"overheated")"), std::string::npos) << listened.out;
    EXPECT_NE(listened.out.find(R"("data":"{\"level\":3}")"), std::string::npos) << listened.out;

    const auto stats = run_process({EVSIM_BINARY, "publish", "--control", serving.control_url, "--stats"}, kLimit);
    EXPECT_EQ(stats.exit_code, 0) << stats.err;
    EXPECT_NE(stats.out.find(R"("name":"alerts")"), std::string::npos) << stats.out;
    EXPECT_NE(stats.out.find(R"("events_published":3)"), std::string::npos) << stats.out;

    const auto unknown = run_process({EVSIM_BINARY, "publish", "--control", serving.control_url, "nope", "x"}, kLimit);
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.err.find("nope: HTTP 404: no producer named 'nope'"), std::string::npos) << unknown.err;

    serving.process.send_signal(SIGTERM);
    const auto served = serving.process.finish(kLimit);
    EXPECT_EQ(served.exit_code, 0) << served.err;

    // The server is gone: the same URL now refuses connections.
    const auto refused = run_process({EVSIM_BINARY, "publish", "--control", serving.control_url, "--stats"}, kLimit);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("cannot connect to the control API at " + serving.control_url), std::string::npos)
        << refused.err;
}

TEST(PublishCli, FaultsAreInjectedIntoOpenConnectionsAndBadOnesExplained) {
    const ScenarioFile scenario("publish.yaml", scenario_yaml);
    Serving serving(scenario.path());
    ASSERT_FALSE(serving.control_url.empty()) << serving.process.output_so_far();
    // A listener that does not reconnect: the injected close ends it.
    Subprocess listen({EVSIM_BINARY, "listen", serving.sse_url, "--max-reconnects", "0", "-q"});
    ASSERT_TRUE(listen.wait_for_output("\"kind\":\"open\"", kLimit)) << listen.output_so_far();

    const auto fault = run_process(
        {EVSIM_BINARY, "publish", "--control", serving.control_url, "alerts", "--fault", R"({"kind":"close"})"}, kLimit);
    EXPECT_EQ(fault.exit_code, 0) << fault.err;
    EXPECT_NE(fault.out.find(R"("injected":"close")"), std::string::npos) << fault.out;
    const auto listened = listen.finish(kLimit);
    EXPECT_FALSE(listened.timed_out);
    EXPECT_NE(listened.out.find("\"kind\":\"error\""), std::string::npos) << listened.out;

    const auto wrong = run_process(
        {EVSIM_BINARY, "publish", "--control", serving.control_url, "alerts", "--fault", R"({"kind":"torn_write"})"},
        kLimit);
    EXPECT_EQ(wrong.exit_code, 1);
    EXPECT_NE(wrong.err.find("HTTP 400: torn_write: only for file producers"), std::string::npos) << wrong.err;
    const auto stats = run_process({EVSIM_BINARY, "publish", "--control", serving.control_url, "--stats"}, kLimit);
    EXPECT_NE(stats.out.find(R"("faults_injected":1)"), std::string::npos) << stats.out;

    const auto bad_json = run_process(
        {EVSIM_BINARY, "publish", "--control", serving.control_url, "alerts", "--fault", "{kind"}, kLimit);
    EXPECT_EQ(bad_json.exit_code, 2);
    serving.process.send_signal(SIGTERM);
    EXPECT_EQ(serving.process.finish(kLimit).exit_code, 0);
}

TEST(PublishCli, BadUsageExitsTwoWithAHint) {
    const std::vector<std::vector<std::string>> mistakes = {
        {"alerts", "x"},                                                // no --control
        {"--control", "http://127.0.0.1:1"},                            // neither PRODUCER DATA nor --stats
        {"--control", "http://127.0.0.1:1", "alerts"},                  // no DATA
        {"--control", "http://127.0.0.1:1", "--json", "alerts", "{x"},  // DATA not JSON
        {"--control", "http://127.0.0.1:1", "--stats", "alerts"},
        {"--control", "ws://127.0.0.1:1", "--stats"},
        {"--control", "http://127.0.0.1:1", "--colour", "alerts", "x"},
    };
    for (const auto& args : mistakes) {
        std::vector<std::string> argv = {EVSIM_BINARY, "publish"};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto r = run_process(argv, kLimit);
        EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.err;
        EXPECT_NE(r.err.find("Try 'evsim publish --help'."), std::string::npos) << r.err;
    }
    const auto help = run_process({EVSIM_BINARY, "publish", "--help"}, kLimit);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("usage: evsim publish --control URL PRODUCER"), std::string::npos) << help.out;
}

TEST(PublishCli, ServeHelpMentionsTheControlApi) {
    const auto help = run_process({EVSIM_BINARY, "serve", "--help"}, kLimit);
    EXPECT_NE(help.out.find("--control PORT"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("default: no control API"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace evsim::app::testing
