// Judging a client: fake adapters (shell one-liners that print fixed observations, or curl for the
// wire) against cases, so every verdict and every expected/observed text is seen once.
#include <gtest/gtest.h>

#include "evsim/conformance/client_checks.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;

ClientCase one_event_case(Level level = Level::must) {
    auto c = parse_client_case(R"(id: t.one
title: One event
clause: spec
server:
  - body: ["data: a\n\n"]
    end: hang
expect:
  events: [{data: a}]
)",
                               "t");
    c.level = level;
    return c;
}

ClientRunOptions printing(const std::string& lines) {
    ClientRunOptions options;
    options.adapter = "printf '" + lines + "'; sleep 5";
    options.settle = 100ms;
    return options;
}

const std::string kOpen = R"({"kind":"open"}\n)";
std::string message(const std::string& data, const std::string& id = "") {
    return R"({"kind":"message","type":"message","data":")" + data + R"(","lastEventId":")" + id + R"("}\n)";
}

TEST(ClientChecks, ARightClientPasses) {
    const auto r = run_client_case(one_event_case(), printing(kOpen + message("a")));
    EXPECT_EQ(r.verdict, Verdict::pass) << r.observed;
    EXPECT_EQ(r.id, "t.one");
    EXPECT_EQ(r.expected, "1 message(s): message \"a\" id \"\"");
    EXPECT_EQ(r.observed, "1 message(s); seen: open, message \"a\" id \"\"");
}

TEST(ClientChecks, AWrongMessageFailsAMustWithBothSides) {
    const auto r = run_client_case(one_event_case(), printing(kOpen + message("b", "3")));
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_EQ(r.observed, "message 1: expected message \"a\" id \"\", observed message \"b\" id \"3\" (1 message(s))");
}

TEST(ClientChecks, AMissedShouldIsNonStrict) {
    auto c = one_event_case(Level::should);
    c.timeout = std::chrono::milliseconds(800);  // the message never comes: the case ends at its timeout
    const auto r = run_client_case(c, printing(kOpen));
    EXPECT_EQ(r.verdict, Verdict::non_strict);
    EXPECT_NE(r.observed.find("only 0 of 1 messages; missing: message \"a\""), std::string::npos) << r.observed;
}

TEST(ClientChecks, AnExtraMessageIsSeenDuringTheSettleTime) {
    const auto r = run_client_case(one_event_case(), printing(kOpen + message("a") + message("a2")));
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_NE(r.observed.find("1 unexpected message(s), first: message \"a2\""), std::string::npos) << r.observed;
}

TEST(ClientChecks, AnAdapterThatCannotRunFailsWithItsError) {
    ClientRunOptions options;
    options.adapter = "/nonexistent/adapter {url}";
    const auto r = run_client_case(one_event_case(), options);
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_NE(r.observed.find("the adapter exited with 127"), std::string::npos) << r.observed;
}

TEST(ClientChecks, GarbageFromTheAdapterIsReported) {
    const auto r = run_client_case(one_event_case(), printing("hello\\n" + kOpen + message("a")));
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_NE(r.observed.find("the adapter printed a line that is no observation (not a JSON object: hello)"),
              std::string::npos)
        << r.observed;
}

TEST(ClientChecks, RequestsAndTheirHeadersAreJudgedFromTheWire) {
    // curl as a "client": one request, with its own Accept header and no Last-Event-ID.
    auto c = parse_client_case(R"(id: t.wire
title: Wire
clause: spec
server: [{body: ["data: a\n\n"]}]
watch: 300ms
expect:
  requests: 1
  request_headers:
    - {attempt: 1, name: Accept, contains: text/event-stream}
    - {attempt: 1, name: Last-Event-ID, absent: true}
    - {attempt: 2, name: Last-Event-ID, equals: "1"}
)",
                               "t");
    ClientRunOptions options;
    options.adapter = "curl -s -o /dev/null {url}";
    options.settle = 100ms;
    const auto r = run_client_case(c, options);
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_NE(r.observed.find("Accept on request 1 was \"*/*\""), std::string::npos) << r.observed;
    EXPECT_NE(r.observed.find("no request 2 to check Last-Event-ID on"), std::string::npos) << r.observed;
    EXPECT_EQ(r.observed.find("Last-Event-ID on request 1"), std::string::npos) << r.observed;  // absent: right
}

TEST(ClientChecks, ThroughputBodiesCarryEveryEventAtTheRate) {
    const auto body = throughput_body({2500, 5000});
    ASSERT_EQ(body.size(), 500U);  // 5 events per 1 ms piece
    EXPECT_EQ(body[0].delay, 0ms);
    EXPECT_EQ(body[1].delay, 1ms);
    EXPECT_EQ(body[0].bytes.rfind("id: 1\ndata: 1\n\nid: 2\n", 0), 0U);
    EXPECT_NE(body.back().bytes.find("id: 2500\ndata: 2500\n\n"), std::string::npos);
    EXPECT_EQ(throughput_body({3, 10}).size(), 3U);
    EXPECT_EQ(throughput_body({3, 10})[1].delay, 100ms);
}

}  // namespace
}  // namespace evsim::conformance
