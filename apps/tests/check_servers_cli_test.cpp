// `evsim check server` against evsim's own servers, as CI runs it: every reference emitter (fetch,
// SSE, WebSocket, FILE) and every dialect passes its MUST checks; the data layer's stream is
// checked with the bearer token passed by --header.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <regex>

#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;

std::vector<std::string> urls_of(const std::string& output, const std::regex& pattern) {
    std::vector<std::string> urls;
    for (auto it = std::sregex_iterator(output.begin(), output.end(), pattern); it != std::sregex_iterator(); ++it)
        urls.push_back((*it)[1]);
    return urls;
}

ProcessResult check(std::vector<std::string> args) {
    std::vector<std::string> argv{EVSIM_BINARY, "check", "server"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--observe", "400ms"});
    return run_process(argv, kLimit);
}

TEST(CheckServersCli, EveryReferenceEmitterPasses) {
    const auto file = std::filesystem::temp_directory_path() / ("evsim-check-" + std::to_string(::getpid()) + ".tmp");
    Subprocess serve({EVSIM_BINARY, "serve", "--fetch-port", "0", "--sse-port", "0", "--ws-port", "0", "--interval",
                      "50ms", "--file-path", file.string()});
    ASSERT_TRUE(serve.wait_for_output("URL: file://", kLimit)) << serve.output_so_far();
    const auto urls = urls_of(serve.output_so_far(), std::regex("URL: (\\S+)"));
    ASSERT_EQ(urls.size(), 4U) << serve.output_so_far();
    // In the order the emitters start: fetch, SSE, WebSocket, FILE.
    const std::pair<std::string, std::string> targets[] = {
        {urls[0], "fetch"}, {urls[1], "sse"}, {urls[2], "ws"}, {urls[3], "file"}};
    for (const auto& [url, type] : targets) {
        const auto result = check({url, "--type", type});
        EXPECT_EQ(result.exit_code, 0) << type << " " << url << "\n" << result.out << result.err;
        EXPECT_NE(result.out.find(" 0 failed"), std::string::npos) << result.out;
    }
    serve.send_signal(SIGINT);
    EXPECT_EQ(serve.finish(kLimit).exit_code, 0);
    std::filesystem::remove(file);
}

// `evsim serve --dialect NAME --port 0`; its base URL.
std::string serve_dialect(Subprocess& serving, const std::string& name) {
    if (!serving.wait_for_output("Press Ctrl+C to stop.", kLimit)) return "";
    std::smatch m;
    const std::string table = serving.output_so_far();
    if (!std::regex_search(table, m, std::regex(name + " +sse +(https?://127\\.0\\.0\\.1:[0-9]+)\\S*\\n"))) return "";
    return m[1];
}

TEST(CheckServersCli, EveryDialectPasses) {
    const std::pair<std::string, std::string> dialects[] = {
        {"eventsource-lib", "/poll/check"},
        {"machbase-watch", "/db/watch/example?tag=neo_load1&tag=neo_load5&period=100ms"},
        {"wakanda-push", "/eventsource"},
    };
    for (const auto& [name, path] : dialects) {
        Subprocess serving({EVSIM_BINARY, "serve", "--dialect", name, "--port", "0"});
        const auto base = serve_dialect(serving, name);
        ASSERT_FALSE(base.empty()) << serving.output_so_far();
        const auto result = check({base + path});
        EXPECT_EQ(result.exit_code, 0) << name << "\n" << result.out << result.err;
        serving.send_signal(SIGINT);
        EXPECT_EQ(serving.finish(kLimit).exit_code, 0);
    }

    Subprocess serving({EVSIM_BINARY, "serve", "--dialect", "ctrlx-datalayer", "--port", "0"});
    const auto base = serve_dialect(serving, "ctrlx-datalayer");
    ASSERT_FALSE(base.empty()) << serving.output_so_far();
    const auto login = run_process({"/usr/bin/curl", "-sk", "-X", "POST", base + "/identity-manager/api/v2/auth/token",
                                    "-d", R"({"name":"boschrexroth","password":"boschrexroth"})"},
                                   kLimit);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(login.out, m, std::regex(R"re("access_token":"([A-Za-z0-9_.-]+)")re"))) << login.out << login.err;
    const std::string stream = base + "/automation/api/v2/events?nodes=plc/app/Application/sym/PLC_PRG/counter"
                                      "&publishIntervalMs=100";
    const auto authorized = check({stream, "-k", "-H", "Authorization: Bearer " + std::string(m[1])});
    EXPECT_EQ(authorized.exit_code, 0) << authorized.out << authorized.err;
    EXPECT_NE(authorized.out.find("PASS       sse.events"), std::string::npos) << authorized.out;
    // Without the token: the 401 fails sse.status.
    const auto refused = check({stream, "-k"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.out.find("FAIL       sse.status"), std::string::npos) << refused.out;
    const auto bad = check({stream, "-k", "-H", "no colon"});
    EXPECT_EQ(bad.exit_code, 2);
    serving.send_signal(SIGINT);
    EXPECT_EQ(serving.finish(kLimit).exit_code, 0);
}

}  // namespace
}  // namespace evsim::app::testing
