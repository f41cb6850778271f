// `evsim serve` as a user runs it, with `evsim listen` as its client: the real binaries end to end.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <regex>

#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("evsim-cli-" + std::to_string(::getpid()) + "-" + name);
}

std::vector<std::string> serve_on_free_ports(const std::filesystem::path& file) {
    return {EVSIM_BINARY, "serve",           "--fetch-port", "0", "--sse-port", "0", "--ws-port", "0",
            "--file-path", file.string(), "--interval", "50ms", "--seed", "7"};
}

TEST(ServeCli, ReferenceEmittersServeListenAndStopOnSigterm) {
    const auto file = temp_file("data.tmp");
    Subprocess serve(serve_on_free_ports(file));
    ASSERT_TRUE(serve.wait_for_output("URL: file://", kLimit));
    const std::string banner = serve.output_so_far();
    // Banner lines as the samples print them, with the real bound ports.
    EXPECT_NE(banner.find("Server started.\nURL: http://127.0.0.1:"), std::string::npos) << banner;
    EXPECT_NE(banner.find("Start writing to file.\nURL: file://" + file.string()), std::string::npos) << banner;

    // The second http URL printed is the SSE emitter (fetch, SSE, WebSocket, file order).
    std::smatch m;
    ASSERT_TRUE(std::regex_search(banner, m, std::regex("URL: (http://127\\.0\\.0\\.1:[0-9]+)\\nServer started\\.\\nURL: ws")));
    const std::string sse_url = m[1].str() + "/";
    const auto listen = run_process({EVSIM_BINARY, "listen", sse_url, "--max-events", "2", "-q"}, kLimit);
    EXPECT_EQ(listen.exit_code, 0) << listen.err;
    const std::regex expected(
        "\\{\"kind\":\"open\"\\}\\n"
        "(\\{\"kind\":\"message\",\"type\":\"temperature_sse\",\"data\":\"[1-9][0-9]\",\"lastEventId\":\"\"\\}\\n){2}");
    EXPECT_TRUE(std::regex_match(listen.out, expected)) << listen.out;

    serve.send_signal(SIGTERM);
    const auto result = serve.finish(kLimit);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("Server ended."), std::string::npos);
    std::filesystem::remove(file);
}

TEST(ServeCli, BadUsageExitsTwoAndBusyPortExitsOne) {
    for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
             {"--interval", "soon"}, {"--sse-port", "70000"}, {"--bogus"}, {"stray"},
             {"--no-fetch", "--no-sse", "--no-ws", "--no-file"}, {"--threads", "0"}, {"--header-timeout", "0"},
             {"--idle-timeout", "later"}}) {
        std::vector<std::string> argv = {EVSIM_BINARY, "serve"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const auto r = run_process(argv, kLimit);
        EXPECT_EQ(r.exit_code, 2) << extra[0] << ": " << r.err;
        EXPECT_FALSE(r.err.empty());
    }

    const auto file = temp_file("busy.tmp");
    Subprocess first(serve_on_free_ports(file));
    ASSERT_TRUE(first.wait_for_output("URL: file://", kLimit));
    std::smatch m;
    const std::string banner = first.output_so_far();
    ASSERT_TRUE(std::regex_search(banner, m, std::regex("URL: http://127\\.0\\.0\\.1:([0-9]+)")));
    const auto second = run_process({EVSIM_BINARY, "serve", "--fetch-port", m[1].str(), "--no-sse", "--no-ws", "--no-file"},
                                    kLimit);
    EXPECT_EQ(second.exit_code, 1);
    EXPECT_NE(second.err.find(m[1].str()), std::string::npos) << second.err;
    first.send_signal(SIGINT);
    EXPECT_EQ(first.finish(kLimit).exit_code, 0);
    std::filesystem::remove(file);
}

TEST(ServeCli, TlsWithASelfSignedCertificate) {
    Subprocess serve({EVSIM_BINARY, "serve", "--tls", "--sse-port", "0", "--no-fetch", "--no-ws", "--no-file",
                      "--interval", "50ms"});
    ASSERT_TRUE(serve.wait_for_output("TLS: self-signed", kLimit));
    const std::string banner = serve.output_so_far();
    std::smatch m;
    ASSERT_TRUE(std::regex_search(banner, m, std::regex("URL: (https://127\\.0\\.0\\.1:[0-9]+)"))) << banner;
    const std::string url = m[1].str() + "/";

    // Verification refuses the self-signed certificate; -k accepts it.
    const auto verified = run_process({EVSIM_BINARY, "listen", url, "--max-events", "1", "--max-reconnects", "0", "-q"},
                                      kLimit);
    EXPECT_NE(verified.exit_code, 0) << verified.out;
    const auto insecure = run_process({EVSIM_BINARY, "listen", "-k", url, "--max-events", "2", "-q"}, kLimit);
    EXPECT_EQ(insecure.exit_code, 0) << insecure.err;
    EXPECT_NE(insecure.out.find("\"type\":\"temperature_sse\""), std::string::npos) << insecure.out;

    serve.send_signal(SIGINT);
    EXPECT_EQ(serve.finish(kLimit).exit_code, 0);
}

TEST(ServeCli, TlsFlagMistakesExitTwo) {
    const auto half = run_process({EVSIM_BINARY, "serve", "--tls-cert", "cert.pem"}, kLimit);
    EXPECT_EQ(half.exit_code, 2);
    EXPECT_NE(half.err.find("--tls-cert needs --tls-key"), std::string::npos) << half.err;
    const auto missing = temp_file("missing.pem").string();
    const auto unreadable = run_process({EVSIM_BINARY, "serve", "--tls-cert", missing, "--tls-key", missing}, kLimit);
    EXPECT_EQ(unreadable.exit_code, 2);
    EXPECT_NE(unreadable.err.find("cannot load TLS certificate '" + missing + "'"), std::string::npos) << unreadable.err;
}

}  // namespace
}  // namespace evsim::app::testing
