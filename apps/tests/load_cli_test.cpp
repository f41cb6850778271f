// `evsim run` and `evsim load` as a user runs them: exit codes from thresholds, every output file,
// SIGINT, shards, usage errors with positions.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "evsim/loadgen/results.hpp"
#include "scenario_file.hpp"
#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 60s;

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// An SSE producer every 20 ms and `vus` VUs holding for `hold`, then `thresholds`.
std::string scenario_yaml(int vus, const std::string& hold, const std::string& thresholds) {
    return "producers:\n"
           "  - {name: ticks, type: sse, cadence: every 20ms, measurement_metadata: true, sse: {id: measurement}}\n"
           "load:\n"
           "  users:\n"
           "    - name: viewers\n"
           "      sources: [ticks]\n"
           "      stages: [{ramp: " + std::to_string(vus) + "}, {hold: " + hold + "}]\n"
           "  thresholds:\n" + thresholds;
}

TEST(LoadCli, RunPassesItsThresholdsAndWritesEveryOutput) {
    const ScenarioFile scenario("pass.yaml", scenario_yaml(3, "1s",
                                                           "    - latency.p99 < 1s\n"
                                                           "    - events.lost == 0\n"
                                                           "    - connect.failed == 0\n"));
    const ScenarioFile json("pass.json", "");
    const ScenarioFile junit("pass.xml", "");
    const auto r = run_process({EVSIM_BINARY, "run", scenario.path(), "--out", json.path(), "--junit", junit.path(), "-q"},
                               kLimit);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("result: PASS (3 of 3 thresholds passed)"), std::string::npos) << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex("producers: published [1-9][0-9]* events"))) << r.out;
    const auto results = loadgen::results_from_json(read(json.path()));
    EXPECT_TRUE(results.passed());
    EXPECT_EQ(results.metrics.vus_started, 3u);
    EXPECT_EQ(results.metrics.connects, 3u);
    EXPECT_GT(results.metrics.stamped, 0u);
    EXPECT_FALSE(results.series.empty());
    const std::string xml = read(junit.path());
    EXPECT_NE(xml.find("tests=\"3\" failures=\"0\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("name=\"latency.p99 &lt; 1s\""), std::string::npos) << xml;
}

TEST(LoadCli, ABreachedThresholdExitsOne) {
    const ScenarioFile scenario("fail.yaml", scenario_yaml(1, "300ms", "    - events.received > 1000000\n"));
    const ScenarioFile junit("fail.xml", "");
    const auto r = run_process({EVSIM_BINARY, "run", scenario.path(), "--junit", junit.path(), "-q"}, kLimit);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("FAIL  events.received > 1000000"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("result: FAIL"), std::string::npos) << r.out;
    EXPECT_NE(read(junit.path()).find("<failure message=\"events.received &gt; 1000000"), std::string::npos);
}

TEST(LoadCli, ThresholdMistakesAreUsageErrorsAtTheirPosition) {
    const ScenarioFile unknown("unknown.yaml", scenario_yaml(1, "1s", "    - latncy.p99 < 5ms\n"));
    auto r = run_process({EVSIM_BINARY, "run", unknown.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(unknown.path() + ":9:7: threshold: unknown metric 'latncy.p99'"), std::string::npos) << r.err;
    const ScenarioFile unitless("unitless.yaml", scenario_yaml(1, "1s", "    - latency.p99 < 5\n"));
    r = run_process({EVSIM_BINARY, "load", unitless.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is a time: give the value a unit"), std::string::npos) << r.err;
}

TEST(LoadCli, SigintStopsTheRunAndStillWritesTheResults) {
    const ScenarioFile scenario("sigint.yaml", scenario_yaml(2, "5m", "    - connect.failed == 0\n"));
    const ScenarioFile json("sigint.json", "");
    Subprocess run({EVSIM_BINARY, "run", scenario.path(), "--out", json.path()});
    ASSERT_TRUE(run.wait_for_output("ticks  sse", kLimit)) << run.output_so_far();
    std::this_thread::sleep_for(300ms);  // let the VUs connect (the assertions below do not depend on it)
    run.send_signal(SIGINT);
    const auto r = run.finish(kLimit);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("stopped early: SIGINT"), std::string::npos) << r.out;
    const auto results = loadgen::results_from_json(read(json.path()));
    EXPECT_TRUE(results.interrupted);
    EXPECT_EQ(results.stop_reason, "SIGINT");
    EXPECT_LT(results.elapsed_s, 60.0);
}

TEST(LoadCli, LoadDrivesProducersStartedElsewhere) {
    const ScenarioFile producers("elsewhere.yaml",
                                 "producers:\n  - {name: p, type: fetch, path: /poll}\n");
    Subprocess serve({EVSIM_BINARY, "serve", producers.path()});
    ASSERT_TRUE(serve.wait_for_output("Press Ctrl+C to stop.", kLimit)) << serve.output_so_far();
    std::smatch m;
    const std::string table = serve.output_so_far();
    ASSERT_TRUE(std::regex_search(table, m, std::regex("(http://127\\.0\\.0\\.1:[0-9]+/poll)"))) << table;
    const ScenarioFile load("load.yaml", "load:\n  users:\n    - name: pollers\n      sources: [{url: '" + m[1].str() +
                                             "', type: fetch, interval: 20ms}]\n"
                                             "      stages: [{ramp: 2}, {hold: 500ms}]\n"
                                             "  thresholds: ['fetch.requests > 10', 'fetch.failed == 0']\n");
    const auto r = run_process({EVSIM_BINARY, "load", load.path(), "-q"}, kLimit);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    serve.send_signal(SIGTERM);
    EXPECT_EQ(serve.finish(kLimit).exit_code, 0);
}

TEST(LoadCli, ProducersOnAnyPortCannotBeFoundByLoad) {
    const ScenarioFile scenario("anyport.yaml", scenario_yaml(1, "1s", "    - events.lost == 0\n"));
    const auto r = run_process({EVSIM_BINARY, "load", scenario.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("listens on any free port"), std::string::npos) << r.err;
}

TEST(LoadCli, ShardsAreCheckedAndTakenFromTheEnvironment) {
    const ScenarioFile scenario("shard.yaml", scenario_yaml(4, "300ms", "    - vus.started == 2\n"));
    auto r = run_process({EVSIM_BINARY, "run", scenario.path(), "--shard", "2/2"}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--shard: '2/2' is not a shard"), std::string::npos) << r.err;
    // Two of four VUs in each half.
    r = run_process({EVSIM_BINARY, "run", scenario.path(), "--shard", "1/2", "-q"}, kLimit);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("(shard 1/2)"), std::string::npos) << r.out;
    ::setenv("JOB_COMPLETION_INDEX", "0", 1);
    r = run_process({EVSIM_BINARY, "run", scenario.path(), "-q"}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("EVSIM_SHARDS"), std::string::npos) << r.err;
    ::setenv("EVSIM_SHARDS", "2", 1);
    r = run_process({EVSIM_BINARY, "run", scenario.path(), "-q"}, kLimit);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("(shard 0/2)"), std::string::npos) << r.out;
    ::unsetenv("JOB_COMPLETION_INDEX");
    ::unsetenv("EVSIM_SHARDS");
}

TEST(LoadCli, UsageMistakes) {
    auto r = run_process({EVSIM_BINARY, "load"}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("expected one scenario file"), std::string::npos);
    const ScenarioFile plain("plain.yaml", "producers:\n  - {name: p, type: sse}\n");
    r = run_process({EVSIM_BINARY, "load", plain.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("has no 'load' section"), std::string::npos) << r.err;
    r = run_process({EVSIM_BINARY, "run", "--threads", "0"}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    r = run_process({EVSIM_BINARY, "load", "--metrics"}, kLimit);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("connect.failed.rate"), std::string::npos);
    r = run_process({EVSIM_BINARY, "run", "--print-scenario"}, kLimit);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("thresholds:"), std::string::npos);
}

}  // namespace
}  // namespace evsim::app::testing

namespace evsim::app::testing {
namespace {

TEST(ReportCli, ShardsMergeIntoTheWholeAndAreJudgedOnIt) {
    const ScenarioFile scenario("merge.yaml", scenario_yaml(5, "300ms", "    - vus.started == 5\n"));
    const ScenarioFile shard0("merge-0.json", ""), shard1("merge-1.json", ""), merged("merged.json", "");
    const ScenarioFile html("merged.html", "");
    // Each shard alone breaches vus.started == 5 (it runs 3 or 2 of them)...
    auto r = run_process({EVSIM_BINARY, "run", scenario.path(), "--shard", "0/2", "--out", shard0.path(), "-q"}, kLimit);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    r = run_process({EVSIM_BINARY, "run", scenario.path(), "--shard", "1/2", "--out", shard1.path(), "-q"}, kLimit);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    // ...the whole passes it.
    r = run_process({EVSIM_BINARY, "report", "merge", shard0.path(), shard1.path(), "--out", merged.path(), "--html",
                     html.path()},
                    kLimit);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("PASS  vus.started == 5: 5"), std::string::npos) << r.out;
    const auto whole = loadgen::results_from_json(read(merged.path()));
    EXPECT_EQ(whole.metrics.vus_started, 5u);
    EXPECT_EQ(whole.metrics.connects, 5u);
    EXPECT_EQ(whole.shard_count, 1u);
    const std::string page = read(html.path());
    EXPECT_NE(page.find("<svg"), std::string::npos);
    EXPECT_EQ(page.find("<script"), std::string::npos);  // self-contained, nothing to run or fetch
    EXPECT_EQ(page.find("http"), std::string::npos);
    // A shard missing, or twice, is an error; --partial merges what is there.
    r = run_process({EVSIM_BINARY, "report", "merge", shard0.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("shard 1 of 2 is missing"), std::string::npos) << r.err;
    r = run_process({EVSIM_BINARY, "report", "merge", shard0.path(), shard0.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is there twice"), std::string::npos) << r.err;
    r = run_process({EVSIM_BINARY, "report", "merge", shard0.path(), "--partial"}, kLimit);
    EXPECT_EQ(r.exit_code, 1) << r.out;  // judged on the subset: 3 VUs
    r = run_process({EVSIM_BINARY, "report", "show", merged.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 0);
}

TEST(ReportCli, BadFilesAreUsageErrors) {
    const ScenarioFile junk("junk.json", "{\"format\": \"evsim-load-results/1\"}");
    auto r = run_process({EVSIM_BINARY, "report", "show", junk.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(junk.path() + ": missing field"), std::string::npos) << r.err;
    r = run_process({EVSIM_BINARY, "report", "show", "/nonexistent/results.json"}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
    r = run_process({EVSIM_BINARY, "report", "frobnicate"}, kLimit);
    EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace evsim::app::testing
