// `evsim listen` as a user runs it: the real binary against the scripted server on loopback.
#include <gtest/gtest.h>

#include <csignal>

#include "evsim/conformance/scripted_server_thread.hpp"
#include "subprocess.hpp"

namespace evsim::app::testing {
namespace {
namespace asio = boost::asio;
using conformance::Ending;
using conformance::event_stream_head;
using conformance::make_head;
using conformance::ScriptedResponse;
using conformance::ScriptedServer;
using conformance::ScriptedServerThread;
using namespace std::chrono_literals;

constexpr auto kLimit = 20s;


std::vector<std::string> listen(std::vector<std::string> args) {
    args.insert(args.begin(), {EVSIM_BINARY, "listen"});
    return args;
}

TEST(ListenCli, PrintsJsonLinesAndReconnectsWithLastEventId) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(), {{0ms, "retry: 20\nid: 41\nevent: t\ndata: a\"b\ndata: c\n\n"}},
                                     Ending::close},
                    ScriptedResponse{event_stream_head(), {{0ms, "data: caf\xC3\xA9 \xFF\n\n"}}, Ending::hang}});
    const auto r = run_process(listen({t.server().url("/s"), "--max-events", "2"}), kLimit);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "{\"kind\":\"open\"}\n"
              "{\"kind\":\"message\",\"type\":\"t\",\"data\":\"a\\\"b\\nc\",\"lastEventId\":\"41\"}\n"
              "{\"kind\":\"error\",\"readyState\":0}\n"
              "{\"kind\":\"open\"}\n"
              "{\"kind\":\"message\",\"type\":\"message\",\"data\":\"caf\xC3\xA9 \xEF\xBF\xBD\",\"lastEventId\":\"41\"}\n");
    const auto requests = t.server().requests();
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_EQ(requests[1].header("Last-Event-ID"), "41");
    EXPECT_NE(r.err.find("GET " + t.server().url("/s") + " (Last-Event-ID: 41)"), std::string::npos) << r.err;
}

TEST(ListenCli, NoContentStopsAsAsked) {
    ScriptedServerThread t({ScriptedResponse{make_head(204, {}), {}, Ending::close}});
    const auto r = run_process(listen({t.server().url(), "--quiet"}), kLimit);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "{\"kind\":\"error\",\"readyState\":2}\n");
    EXPECT_EQ(r.err, "");
}

TEST(ListenCli, ErrorStatusAndWrongTypeFail) {
    ScriptedServerThread t({ScriptedResponse{make_head(503, {}), {}, Ending::close},
                    ScriptedResponse{make_head(200, {{"Content-Type", "application/json"}}), {}, Ending::close}});
    auto r = run_process(listen({t.server().url()}), kLimit);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "{\"kind\":\"error\",\"readyState\":2}\n");
    EXPECT_NE(r.err.find("HTTP status 503"), std::string::npos) << r.err;
    r = run_process(listen({t.server().url()}), kLimit);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("is not text/event-stream"), std::string::npos) << r.err;
}

TEST(ListenCli, EventFilterHeadersAndSeededId) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(),
                                     {{0ms, "event: skip\ndata: 1\n\nevent: keep\ndata: 2\n\ndata: 3\n\n"}},
                                     Ending::hang}});
    const auto r = run_process(listen({t.server().url(), "-e", "keep", "-n", "1", "-H", "Authorization: Bearer t0k",
                                       "--last-event-id", "s1", "-q"}),
                               kLimit);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "{\"kind\":\"open\"}\n{\"kind\":\"message\",\"type\":\"keep\",\"data\":\"2\",\"lastEventId\":\"s1\"}\n");
    const auto requests = t.server().requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].header("Authorization"), "Bearer t0k");
    EXPECT_EQ(requests[0].header("Last-Event-ID"), "s1");
}

TEST(ListenCli, TimeoutAndMaxReconnects) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(), {}, Ending::hang}});
    auto r = run_process(listen({t.server().url(), "--timeout", "300ms", "-q"}), kLimit);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "{\"kind\":\"open\"}\n");

    ScriptedServerThread closing({ScriptedResponse{event_stream_head(), {}, Ending::close}});
    r = run_process(listen({closing.server().url(), "--reconnection-time", "5", "--max-reconnects", "2", "-q"}), kLimit);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(closing.server().requests().size(), 3U);
}

TEST(ListenCli, SigtermStopsCleanly) {
    ScriptedServerThread t({ScriptedResponse{event_stream_head(), {{0ms, "data: x\n\n"}}, Ending::hang}});
    Subprocess process(listen({t.server().url(), "-q"}));
    ASSERT_TRUE(process.wait_for_output("\"data\":\"x\"", kLimit));
    process.send_signal(SIGTERM);
    const auto r = process.finish(kLimit);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0);
}

TEST(ListenCli, BadUsageExitsTwo) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {}, {"ftp://x/"}, {"not a url"}, {"http://127.0.0.1:1/", "--timeout", "soon"},
             {"http://127.0.0.1:1/", "--header", "no colon"}, {"http://127.0.0.1:1/", "--bogus"},
             {"http://127.0.0.1:1/", "--ca-file", "/nonexistent/ca.pem"}, {"http://127.0.0.1:1/", "-n", "0"},
             {"http://127.0.0.1:1/", "-n", "-1"}, {"http://127.0.0.1:1/", "--max-line-bytes", "-1"},
             {"http://127.0.0.1:1/", "--max-reconnects", "x"}, {"http://127.0.0.1:1/", "--last-event-id", "a\r\nEvil: 1"},
             {"http://127.0.0.1:1/", "--header", "X Y: z"}, {"http://127.0.0.1:1/", "--header", ": z"}}) {
        const auto r = run_process(listen(args), kLimit);
        EXPECT_EQ(r.exit_code, 2) << (args.empty() ? "(no args)" : args[0]) << ": " << r.err;
        EXPECT_FALSE(r.err.empty());
    }
    const auto help = run_process(listen({"--help"}), kLimit);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("--max-events"), std::string::npos);
}

}  // namespace
}  // namespace evsim::app::testing
