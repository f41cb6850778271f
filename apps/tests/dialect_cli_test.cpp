// `evsim serve --dialect eventsource-lib` driven like the Python library's own tools: `evsim listen`
// in the role of eventsource-client, `evsim publish --eventsource-lib` in the role of
// eventsource-request; flag mistakes exit 2 with the flag named.
#include <gtest/gtest.h>

#include <csignal>
#include <regex>

#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;

TEST(DialectCli, EventSourceLibServedListenedAndPushedTo) {
    Subprocess serving({EVSIM_BINARY, "serve", "--dialect", "eventsource-lib", "--port", "0", "--ids", "--actions",
                        "ping,update"});
    ASSERT_TRUE(serving.wait_for_output("Press Ctrl+C to stop.", kLimit)) << serving.output_so_far();
    std::smatch m;
    const std::string table = serving.output_so_far();
    ASSERT_TRUE(std::regex_search(table, m, std::regex("eventsource-lib +sse +(http://127\\.0\\.0\\.1:[0-9]+)\\n")))
        << table;
    const std::string base = m[1];
    const std::string token = "42:42:42:42:42:42";

    Subprocess listen({EVSIM_BINARY, "listen", base + "/poll/" + token, "--max-events", "2", "-q"});
    ASSERT_TRUE(listen.wait_for_output("\"kind\":\"open\"", kLimit)) << listen.output_so_far();

    const auto ping = run_process({EVSIM_BINARY, "publish", "--eventsource-lib", base, token, "ping", "42"}, kLimit);
    EXPECT_EQ(ping.exit_code, 0) << ping.err;
    const auto update =
        run_process({EVSIM_BINARY, "publish", "--eventsource-lib", base, token, "update", "a\nb"}, kLimit);
    EXPECT_EQ(update.exit_code, 0) << update.err;
    const auto listened = listen.finish(kLimit);
    ASSERT_EQ(listened.exit_code, 0) << listened.err;
    EXPECT_NE(listened.out.find(R"("type":"ping","data":"42","lastEventId":"1")"), std::string::npos) << listened.out;
    EXPECT_NE(listened.out.find(R"("type":"update","data":"a\nb","lastEventId":"2")"), std::string::npos)
        << listened.out;

    // The listener left; the token has nobody to push to: the server's 404 exits 1 with its reason.
    bool gone = false;
    for (int i = 0; i < 50 && !gone; ++i) {
        const auto after = run_process({EVSIM_BINARY, "publish", "--eventsource-lib", base, token, "ping", "1"}, kLimit);
        gone = after.exit_code == 1 && after.err.find("HTTP 404: no listener on token '" + token + "'") != std::string::npos;
    }
    EXPECT_TRUE(gone);

    const auto bad_json =
        run_process({EVSIM_BINARY, "publish", "--eventsource-lib", base, "--json", token, "ping", "{x"}, kLimit);
    EXPECT_EQ(bad_json.exit_code, 2);
    EXPECT_NE(bad_json.err.find("--json: DATA is not valid JSON"), std::string::npos) << bad_json.err;

    serving.send_signal(SIGINT);
    EXPECT_EQ(serving.finish(kLimit).exit_code, 0);
}

TEST(DialectCli, FlagMistakesExitTwoNamingTheFlag) {
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"serve", "--dialect", "machbase"}, "--dialect: unknown dialect 'machbase' (known: eventsource-lib)"},
        {{"serve", "--ids"}, "--ids configures a --dialect server"},
        {{"serve", "--dialect", "eventsource-lib", "--port", "70000"}, "--port: '70000' is not a port number"},
        {{"serve", "--dialect", "eventsource-lib", "--keepalive", "soon"}, "--keepalive: 'soon' is not milliseconds"},
        {{"serve", "--dialect", "eventsource-lib", "--actions", "ping,poll"}, "--actions: 'poll' is built in"},
        {{"serve", "--dialect", "eventsource-lib", "--sse-port", "1"},
         "--sse-port configures the reference emitters, not a --dialect server"},
        {{"publish", "--eventsource-lib", "http://127.0.0.1:1", "token"}, "--eventsource-lib expects TOKEN ACTION [DATA]"},
        {{"publish", "--eventsource-lib", "ws://127.0.0.1:1", "t", "ping"}, "is not an http:// URL"},
    };
    for (const auto& [args, message] : cases) {
        std::vector<std::string> argv{EVSIM_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto result = run_process(argv, kLimit);
        EXPECT_EQ(result.exit_code, 2) << args[1];
        EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
    }
}

}  // namespace
}  // namespace evsim::app::testing
