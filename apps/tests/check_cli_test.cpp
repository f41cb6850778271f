// `evsim check server URL` as CI runs it: against `evsim serve`'s reference SSE emitter (every
// check passes), against a scripted 503 (exit 1), with JUnit output to a file, and bad usage.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "evsim/conformance/scripted_server_thread.hpp"
#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;

TEST(CheckCli, TheReferenceEmitterPassesAndJunitGoesToAFile) {
    Subprocess serve({EVSIM_BINARY, "serve", "--no-fetch", "--no-ws", "--no-file", "--sse-port", "0", "--interval", "50ms"});
    ASSERT_TRUE(serve.wait_for_output("URL: http", kLimit));
    std::smatch m;
    const std::string banner = serve.output_so_far();
    ASSERT_TRUE(std::regex_search(banner, m, std::regex("URL: (http://127\\.0\\.0\\.1:[0-9]+)")));
    const std::string url = m[1].str() + "/";

    const auto text = run_process({EVSIM_BINARY, "check", "server", url, "--observe", "300ms"}, kLimit);
    EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
    EXPECT_NE(text.out.find("PASS       sse.content-type"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find(" 0 failed"), std::string::npos) << text.out;

    const auto file = std::filesystem::temp_directory_path() / ("evsim-check-" + std::to_string(::getpid()) + ".xml");
    const auto junit = run_process(
        {EVSIM_BINARY, "check", "server", url, "--observe", "300ms", "--format", "junit", "--output", file.string()},
        kLimit);
    EXPECT_EQ(junit.exit_code, 0) << junit.err;
    std::ifstream in(file);
    std::stringstream xml;
    xml << in.rdbuf();
    EXPECT_NE(xml.str().find("failures=\"0\""), std::string::npos) << xml.str();
    EXPECT_NE(xml.str().find("name=\"sse.status\""), std::string::npos);
    std::filesystem::remove(file);

    serve.send_signal(SIGINT);
    EXPECT_EQ(serve.finish(kLimit).exit_code, 0);
}

TEST(CheckCli, AFailedMustExitsOneAndUsageMistakesExitTwo) {
    conformance::ScriptedServerThread scripted({conformance::ScriptedResponse{
        conformance::make_head(503, {{"Content-Type", "text/plain"}}), {{0ms, "busy"}}, conformance::Ending::close}});
    const auto r = run_process({EVSIM_BINARY, "check", "server", scripted.server().url(), "--format", "json"}, kLimit);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("\"id\":\"sse.status\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"verdict\":\"FAIL\""), std::string::npos) << r.out;

    for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
             {}, {"client"}, {"server"}, {"server", "ftp://x/"}, {"server", "http://h/", "--format", "xml"},
             {"server", "http://h/", "--type", "mqtt"}, {"server", "http://h/", "--observe", "soon"},
             {"server", "http://h/", "--keepalive", "-1s"}}) {
        std::vector<std::string> argv = {EVSIM_BINARY, "check"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const auto bad = run_process(argv, kLimit);
        EXPECT_EQ(bad.exit_code, 2) << (extra.empty() ? "" : extra.back()) << ": " << bad.err;
    }
}

}  // namespace
}  // namespace evsim::app::testing
