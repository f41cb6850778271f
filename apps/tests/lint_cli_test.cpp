// `evsim lint config.js` as a user runs it: the real binary on config files written to temp files.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;

class ConfigFile {
public:
    ConfigFile(const std::string& name, const std::string& js)
        : path_(std::filesystem::temp_directory_path() / ("evsim-lint-" + std::to_string(::getpid()) + "-" + name)) {
        std::ofstream(path_) << js;
    }
    ~ConfigFile() { std::filesystem::remove(path_); }
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

TEST(LintCli, ACleanConfigExitsZeroAndErrorsExitOne) {
    const ConfigFile clean("clean.js", "sys_eventProviders = [{ type: 'SSE', url: 'http://localhost:8081', events: ['t'] }];\n");
    const auto ok = run_process({EVSIM_BINARY, "lint", clean.path()}, kLimit);
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(ok.out, "0 errors, 0 warnings, 0 notes in 1 entry\n");

    std::string seven = "sys_eventProviders = [\n";
    for (int i = 0; i < 7; ++i) seven += "  { type: 'SSE', url: 'http://localhost:8081/" + std::to_string(i) + "', events: ['t'] },\n";
    seven += "];\n";
    const ConfigFile crowded("crowded.js", seven);
    const auto failed = run_process({EVSIM_BINARY, "lint", crowded.path()}, kLimit);
    EXPECT_EQ(failed.exit_code, 1);
    EXPECT_NE(failed.out.find(crowded.path() + ":8:3: error: 7 EventSources to http://localhost:8081"), std::string::npos)
        << failed.out;
    EXPECT_NE(failed.out.find("[connection-limit]"), std::string::npos);

    const auto json = run_process({EVSIM_BINARY, "lint", crowded.path(), "--format", "json"}, kLimit);
    EXPECT_EQ(json.exit_code, 1);
    EXPECT_NE(json.out.find("\"errors\":1"), std::string::npos) << json.out;
    EXPECT_NE(json.out.find("\"rule\":\"connection-limit\",\"entry\":7"), std::string::npos) << json.out;
}

TEST(LintCli, WarningsAloneExitZero) {
    const ConfigFile polling("polling.js",
                             "sys_eventProviders = [{ type: 'FETCH', url: 'http://h/', events: ['a'], interval: 50 }];\n");
    const auto r = run_process({EVSIM_BINARY, "lint", polling.path()}, kLimit);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("warning: polled every 50 ms"), std::string::npos) << r.out;
    EXPECT_EQ(run_process({EVSIM_BINARY, "lint", polling.path(), "--min-interval", "10ms"}, kLimit).out,
              "0 errors, 0 warnings, 0 notes in 1 entry\n");
}

TEST(LintCli, UnreadableConfigsAndBadUsageExitTwo) {
    const ConfigFile broken("broken.js", "sys_eventProviders = [{ type: 'SSE' url: 'x' }];\n");
    const auto b = run_process({EVSIM_BINARY, "lint", broken.path()}, kLimit);
    EXPECT_EQ(b.exit_code, 2);
    EXPECT_NE(b.err.find(broken.path() + ":1:"), std::string::npos) << b.err;
    EXPECT_EQ(run_process({EVSIM_BINARY, "lint", "/nonexistent/config.js"}, kLimit).exit_code, 2);
    EXPECT_EQ(run_process({EVSIM_BINARY, "lint"}, kLimit).exit_code, 2);
    EXPECT_EQ(run_process({EVSIM_BINARY, "lint", broken.path(), "--format", "xml"}, kLimit).exit_code, 2);
    EXPECT_EQ(run_process({EVSIM_BINARY, "lint", broken.path(), "--origin", "localhost"}, kLimit).exit_code, 2);
    const auto help = run_process({EVSIM_BINARY, "lint", "--help"}, kLimit);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("--probe"), std::string::npos);
}

}  // namespace
}  // namespace evsim::app::testing
