// `evsim serve --dialect eventsource-lib` driven like the Python library's own tools: `evsim listen`
// in the role of eventsource-client, `evsim publish --eventsource-lib` in the role of
// eventsource-request; flag mistakes exit 2 with the flag named.
#include <gtest/gtest.h>

#include <unistd.h>

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

// curl, where the system has it (scripts/bootstrap.sh --test installs it).
std::string curl_binary() {
    for (const char* path : {"/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"})
        if (::access(path, X_OK) == 0) return path;
    return "/usr/bin/curl";  // the test then fails with exit 127 and says so
}

// `evsim serve --dialect machbase-watch --port 0`; its base URL.
std::string serve_watch(Subprocess& serving) {
    if (!serving.wait_for_output("Press Ctrl+C to stop.", kLimit)) return "";
    std::smatch m;
    const std::string table = serving.output_so_far();
    if (!std::regex_search(table, m, std::regex("machbase-watch +sse +(http://127\\.0\\.0\\.1:[0-9]+)\\n"))) return "";
    return m[1];
}

TEST(DialectCli, MachbaseWatchAnswersTheDocumentsCurlExampleUnchanged) {
    Subprocess serving({EVSIM_BINARY, "serve", "--dialect", "machbase-watch", "--port", "0"});
    const auto base = serve_watch(serving);
    ASSERT_FALSE(base.empty()) << serving.output_so_far();
    // The document's command, pointed at evsim's port; it streams until interrupted, so -m ends it
    // after the first 3 s period.
    const auto curl = run_process({curl_binary(), "-o", "-", "-v", base + "/db/watch/example" +
                                                               "?tag=neo_load1&tag=neo_load5&period=3s&timeformat=s",
                                   "-m", "4"},
                                  kLimit);
    EXPECT_EQ(curl.exit_code, 28) << curl.err;  // curl's "operation timed out": the stream was still open
    EXPECT_NE(curl.err.find("< HTTP/1.1 200 OK"), std::string::npos) << curl.err;
    EXPECT_TRUE(std::regex_search(
        curl.out, std::regex(R"(data: \{"NAME":"neo_load1","TIME":\d{10},"VALUE":[0-9.]+\}\n\ndata: \{"NAME":"neo_load5","TIME":\d{10},"VALUE":[0-9.]+\}\n\n)")))
        << curl.out;
    serving.send_signal(SIGINT);
    EXPECT_EQ(serving.finish(kLimit).exit_code, 0);
}

TEST(DialectCli, MachbaseWatchServesTheJavaScriptExamplesEventSource) {
    Subprocess serving({EVSIM_BINARY, "serve", "--dialect", "machbase-watch", "--port", "0"});
    const auto base = serve_watch(serving);
    ASSERT_FALSE(base.empty()) << serving.output_so_far();
    // The JavaScript and Python examples' URL and parameters; evsim listen is the EventSource.
    const auto listened = run_process({EVSIM_BINARY, "listen",
                                       base + "/db/watch/EXAMPLE?tag=neo_load1&tag=neo_load5&period=3s&keep-alive=30s"
                                              "&timeformat=default",
                                       "--max-events", "2", "-q"},
                                      kLimit);
    ASSERT_EQ(listened.exit_code, 0) << listened.err;
    // JSON.parse(event.data) gives NAME, TIME (a date-time string with timeformat=default) and VALUE.
    EXPECT_NE(listened.out.find(R"("type":"message","data":"{\"NAME\":\"neo_load1\",\"TIME\":\"20)"), std::string::npos)
        << listened.out;
    EXPECT_NE(listened.out.find(R"(\",\"VALUE\":)"), std::string::npos) << listened.out;
    const auto refused = run_process({curl_binary(), "-s", base + "/db/watch/example?period=3s"}, kLimit);
    EXPECT_EQ(refused.out, "{\"success\":false,\"reason\":\"tag: required for tag table 'example' (tag=NAME, repeatable)\"}\n");
    serving.send_signal(SIGINT);
    EXPECT_EQ(serving.finish(kLimit).exit_code, 0);
}

// The controller's clients, step by step as Telegraf's ctrlx_datalayer input takes them: a token
// from the identity manager, a subscription POSTed with its properties and nodes, then the stream
// read with certificate checks off. curl makes the REST calls, evsim listen reads the stream.
TEST(DialectCli, CtrlxDatalayerServesTokensSubscriptionsAndTheirStreamOverHttps) {
    Subprocess serving({EVSIM_BINARY, "serve", "--dialect", "ctrlx-datalayer", "--port", "0"});
    ASSERT_TRUE(serving.wait_for_output("Press Ctrl+C to stop.", kLimit)) << serving.output_so_far();
    std::smatch m;
    const std::string table = serving.output_so_far();
    ASSERT_TRUE(std::regex_search(table, m, std::regex("ctrlx-datalayer +sse +(https://127\\.0\\.0\\.1:[0-9]+)\\n")))
        << table;
    const std::string base = m[1];

    const auto login = run_process({curl_binary(), "-sk", "-X", "POST", base + "/identity-manager/api/v2/auth/token",
                                    "-H", "Content-Type: application/json", "-d",
                                    R"({"name":"boschrexroth","password":"boschrexroth"})"},
                                   kLimit);
    ASSERT_EQ(login.exit_code, 0) << login.err;
    ASSERT_TRUE(std::regex_search(login.out, m, std::regex(R"re("access_token":"([A-Za-z0-9_.-]+)","token_type":"Bearer")re")))
        << login.out;
    const std::string authorization = "Authorization: Bearer " + std::string(m[1]);

    const auto created = run_process(
        {curl_binary(), "-sk", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", base + "/automation/api/v2/events",
         "-H", authorization, "-d",
         R"({"properties":{"keepaliveInterval":60000,"rules":[{"rule_type":"Sampling","rule":{"samplingInterval":1000000}}],)"
         R"("id":"telegraf_0b9c3f1e","publishInterval":200,"errorInterval":10000},)"
         R"("nodes":["plc/app/Application/sym/PLC_PRG/counter","plc/app/Application/sym/PLC_PRG/nothing"]})"},
        kLimit);
    EXPECT_EQ(created.out, "201") << created.err;

    const auto listened = run_process({EVSIM_BINARY, "listen", "-k", "-H", authorization, "-e", "update", "-e", "error",
                                       base + "/automation/api/v2/events/telegraf_0b9c3f1e", "--max-events", "3", "-q"},
                                      kLimit);
    ASSERT_EQ(listened.exit_code, 0) << listened.err;
    EXPECT_TRUE(std::regex_search(
        listened.out,
        std::regex(R"re("type":"update","data":"\{\\"node\\":\\"plc/app/Application/sym/PLC_PRG/counter\\",)re"
                   R"re(\\"timestamp\\":1[0-9]{17},\\"type\\":\\"int64\\",\\"value\\":[0-9]+\}","lastEventId":"1")re")))
        << listened.out;
    EXPECT_NE(listened.out.find(R"("type":"error","data":"{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404)"),
              std::string::npos)
        << listened.out;

    // Without the token the stream is refused: evsim listen stops on the 401.
    const auto refused = run_process(
        {EVSIM_BINARY, "listen", "-k", base + "/automation/api/v2/events/telegraf_0b9c3f1e", "--max-events", "1"}, kLimit);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("401"), std::string::npos) << refused.err;
    serving.send_signal(SIGINT);
    EXPECT_EQ(serving.finish(kLimit).exit_code, 0);
}

TEST(DialectCli, FlagMistakesExitTwoNamingTheFlag) {
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"serve", "--dialect", "machbase"}, "--dialect: unknown dialect 'machbase' (known: eventsource-lib, machbase-watch, wakanda-push, "
                                               "ctrlx-datalayer)"},
        {{"serve", "--dialect", "machbase-watch", "--ids"}, "--ids is an eventsource-lib flag"},
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
