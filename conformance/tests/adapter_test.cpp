// The adapter protocol: observation lines parsed strictly, the command expanded with quoted values,
// and adapter processes run, read and stopped within bounds whatever they do.
#include <gtest/gtest.h>

#include "evsim/conformance/adapter.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(AdapterProtocol, ParsesTheThreeKindsOfObservation) {
    std::string why;
    auto open = parse_observation(R"({"kind":"open"})", why);
    ASSERT_TRUE(open);
    EXPECT_EQ(open->kind, Observation::Kind::open);
    auto message = parse_observation(R"({"kind":"message","type":"tick","data":"a\nb","lastEventId":"7","extra":1})", why);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->type, "tick");
    EXPECT_EQ(message->data, "a\nb");
    EXPECT_EQ(message->last_event_id, "7");
    auto error = parse_observation(R"({"kind":"error","readyState":2})", why);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->ready_state, 2);
}

TEST(AdapterProtocol, TakesTheClientsTimeAndTheChannelWhenGiven) {
    std::string why;
    auto message = parse_observation(R"({"kind":"message","type":"message","data":"","lastEventId":"","time":12.5})", why);
    ASSERT_TRUE(message) << why;
    EXPECT_EQ(message->client_time_ms, 12.5);
    EXPECT_EQ(message->channel, Observation::Channel::eventsource);
    auto ws = parse_observation(R"({"kind":"open","channel":"websocket","time":3})", why);
    ASSERT_TRUE(ws) << why;
    EXPECT_EQ(ws->channel, Observation::Channel::websocket);
    EXPECT_EQ(ws->client_time_ms, 3.0);
    auto tagged = parse_observation(R"({"kind":"open","source":7})", why);
    ASSERT_TRUE(tagged) << why;
    EXPECT_EQ(tagged->source, 7);
    auto plain = parse_observation(R"({"kind":"open","channel":"eventsource"})", why);
    ASSERT_TRUE(plain) << why;
    EXPECT_FALSE(plain->client_time_ms);
}

TEST(AdapterProtocol, RefusesWhatIsNotAnObservation) {
    for (const char* line : {"", "hello", "[]", R"({"type":"message"})", R"({"kind":"close"})",
                             R"({"kind":"message","type":"message","data":"a"})",
                             R"({"kind":"message","type":"message","data":1,"lastEventId":""})",
                             R"({"kind":"error","readyState":1})", R"({"kind":"error"})", R"({"kind":7})",
                             R"({"kind":"open","time":"soon"})", R"({"kind":"open","channel":"socket"})",
                             R"({"kind":"open","channel":1})", R"({"kind":"open","source":-1})",
                             R"({"kind":"open","source":"a"})", R"({"kind":"open","source":1.5})"}) {
        std::string why;
        EXPECT_FALSE(parse_observation(line, why)) << line;
        EXPECT_FALSE(why.empty()) << line;
    }
}

TEST(AdapterProtocol, PlaceholdersAreShellQuoted) {
    EXPECT_EQ(expand_adapter_command("node a.js {url} {events}", "http://h/x?a=1&b='2'", {"message", "tick"}),
              R"(node a.js 'http://h/x?a=1&b='\''2'\''' 'message,tick')");
    EXPECT_EQ(expand_adapter_command("a {url} {url}", "u", {}), "a 'u' 'u'");
}

TEST(AdapterRun, CollectsObservationsAndKeepsProblems) {
    AdapterRun run(R"(printf '{"kind":"open"}\nnot json\n{"kind":"message","type":"message","data":"a","lastEventId":""}\r\n'; echo "$EVSIM_URL $EVSIM_EVENTS" >&2)",
                   "http://127.0.0.1:1/x", {"message", "x"});
    while (run.read_until(Clock::now() + 5s)) {
    }
    run.stop();
    ASSERT_EQ(run.observations().size(), 2U);
    EXPECT_EQ(run.observations()[1].data, "a");
    ASSERT_EQ(run.problems().size(), 1U);
    EXPECT_EQ(run.problems()[0], "not a JSON object: not json");
    EXPECT_EQ(run.stderr_tail(), "http://127.0.0.1:1/x message,x\n");
    EXPECT_EQ(run.exit_code(), 0);
}

TEST(AdapterRun, StopEndsAnAdapterAndWhatItStarted) {
    const auto started = Clock::now();
    AdapterRun run("sleep 30 & sleep 30; echo never", "http://x/", {});
    EXPECT_TRUE(run.read_until(Clock::now() + 100ms));  // still running
    run.stop();
    EXPECT_LT(Clock::now() - started, 5s);
    EXPECT_TRUE(run.observations().empty());
}

TEST(AdapterRun, AMissingProgramExitsWith127AndSaysWhy) {
    AdapterRun run("/nonexistent/adapter {url}", "http://x/", {});
    while (run.read_until(Clock::now() + 5s)) {
    }
    run.stop();
    EXPECT_EQ(run.exit_code(), 127);
    EXPECT_NE(run.stderr_tail().find("not found"), std::string::npos) << run.stderr_tail();
}

TEST(AdapterRun, AnOverlongLineIsOneProblemAndReadingGoesOn) {
    AdapterRun run(R"(head -c 3000000 /dev/zero | tr '\0' x; printf '\n{"kind":"open"}\n')", "http://x/", {});
    while (run.read_until(Clock::now() + 10s)) {
    }
    run.stop();
    ASSERT_EQ(run.problems().size(), 1U);
    EXPECT_EQ(run.problems()[0], "a line longer than 1 MiB");
    ASSERT_EQ(run.observations().size(), 1U);
    EXPECT_EQ(run.observations()[0].kind, Observation::Kind::open);
}

}  // namespace
}  // namespace evsim::conformance
