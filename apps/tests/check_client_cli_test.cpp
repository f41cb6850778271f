// `evsim check client` as CI runs it: evsim's own client (evsim listen) passes every MUST case of the
// suite, reports go to files, known deviations are honoured, and usage mistakes exit 2.
#include <gtest/gtest.h>

#include <unistd.h>

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

TEST(CheckClientCli, UsageMistakesExitTwo) {
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"check", "client"}, "which client? (--adapter 'CMD {url}' or --adapter evsim)"},
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
