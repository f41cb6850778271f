// evsim check server on WebSocket: evsim's ws producer passes, a malformed fault (invalid UTF-8 in
// a text frame) fails ws.utf8, a reset shows as ws.connection.
#include <gtest/gtest.h>

#include "evsim/conformance/server_checks.hpp"
#include "evsim/conformance/scripted_server_thread.hpp"
#include "evsim/net/url.hpp"
#include "producer_thread.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;
using test::verdicts;

scenario::ProducerSpec ws_spec(std::vector<faults::FaultSpec> faults = {}) {
    scenario::ProducerSpec spec;
    spec.name = "live";
    spec.type = scenario::ProducerType::ws;
    spec.cadence = cadence::FixedInterval{20ms};
    spec.faults = std::move(faults);
    return spec;
}

ServerCheckOptions quick() {
    ServerCheckOptions options;
    options.observe = 300ms;
    options.timeout = 5s;
    return options;
}

TEST(WsServerChecksTest, EvsimsOwnProducerPasses) {
    test::ProducerThread server(ws_spec());
    const auto results = check_ws_server(server.url(), quick());
    for (const auto& r : results) EXPECT_EQ(r.verdict, Verdict::pass) << r.id << ": " << r.observed;
    EXPECT_EQ(results.size(), 6U);
}

TEST(WsServerChecksTest, InvalidUtf8InATextFrameFails) {
    faults::FaultSpec fault;
    fault.kind = faults::Kind::malformed;
    fault.trigger.after = 2;
    fault.bytes = faults::default_malformed_ws();
    test::ProducerThread server(ws_spec({fault}));
    const auto results = check_ws_server(server.url(), quick());
    EXPECT_EQ(verdicts(results).at("ws.utf8"), Verdict::fail);
    EXPECT_TRUE(failed(results));
}

TEST(WsServerChecksTest, AResetIsReported) {
    faults::FaultSpec fault;
    fault.kind = faults::Kind::reset;
    fault.trigger.after = 3;
    test::ProducerThread server(ws_spec({fault}));
    const auto v = verdicts(check_ws_server(server.url(), quick()));
    EXPECT_EQ(v.at("ws.connection"), Verdict::info);
    EXPECT_EQ(v.at("ws.handshake"), Verdict::pass);
}

TEST(WsServerChecksTest, AServerCloseIsReportedWithItsCode) {
    faults::FaultSpec fault;
    fault.kind = faults::Kind::close;
    fault.trigger.after = 2;
    fault.close_code = 1011;
    test::ProducerThread server(ws_spec({fault}));
    const auto results = check_ws_server(server.url(), quick());
    const auto& connection = test::result_of(results, "ws.connection");
    EXPECT_EQ(connection.verdict, Verdict::info);
    EXPECT_NE(connection.observed.find("the server closed it with 1011"), std::string::npos) << connection.observed;
    EXPECT_EQ(verdicts(results).at("ws.framing"), Verdict::pass);
}

TEST(WsServerChecksTest, FramesSplitOrDrippedAcrossWritesAreStillValid) {
    for (const auto kind : {faults::Kind::split, faults::Kind::drip}) {
        faults::FaultSpec fault;
        fault.kind = kind;
        fault.trigger.after = 1;
        fault.at_bytes = {1, 3};
        fault.gap = 10ms;
        fault.chunk = 1;
        fault.duration = 150ms;
        test::ProducerThread server(ws_spec({fault}));
        const auto results = check_ws_server(server.url(), quick());
        for (const auto& r : results) EXPECT_EQ(r.verdict, Verdict::pass) << faults::to_string(kind) << " " << r.id << ": " << r.observed;
    }
}

TEST(WsServerChecksTest, AStallStillAnswersThePingAndKeepsTheConnection) {
    // Silence is legal on a WebSocket; what matters is that the connection and its control frames
    // survive it (the pong may wait behind the stall).
    faults::FaultSpec fault;
    fault.kind = faults::Kind::stall;
    fault.trigger.after = 1;
    fault.duration = 200ms;
    test::ProducerThread server(ws_spec({fault}));
    auto options = quick();
    options.observe = 600ms;
    const auto v = verdicts(check_ws_server(server.url(), options));
    EXPECT_EQ(v.at("ws.pong"), Verdict::pass);
    EXPECT_EQ(v.at("ws.messages"), Verdict::pass);
    EXPECT_EQ(v.count("ws.connection"), 0U);
}

TEST(WsServerChecksTest, AStatusOrRedirectFaultOnTheUpgradeFailsTheHandshake) {
    // A browser's WebSocket follows no redirect and takes nothing but 101.
    for (const auto kind : {faults::Kind::status, faults::Kind::redirect}) {
        faults::FaultSpec fault;
        fault.kind = kind;
        fault.status = kind == faults::Kind::status ? 503 : 307;
        fault.trigger.every = 1;
        test::ProducerThread server(ws_spec({fault}));
        const auto results = check_ws_server(server.url(), quick());
        ASSERT_FALSE(results.empty());
        EXPECT_EQ(results[0].id, "ws.handshake");
        EXPECT_EQ(results[0].verdict, Verdict::fail) << faults::to_string(kind);
        EXPECT_NE(results[0].observed.find(std::to_string(fault.status)), std::string::npos) << results[0].observed;
    }
}

std::string ws_url(ScriptedServerThread& t) { return "ws://127.0.0.1:" + std::to_string(t.server().port()) + "/live"; }

TEST(WsServerChecksTest, AnUpgradeAnsweredWithoutA101Fails) {
    ScriptedServerThread t({ScriptedResponse{make_head(200, {{"Content-Type", "text/plain"}}), {}, Ending::close}});
    const auto results = check_ws_server(ws_url(t), quick());
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].id, "ws.handshake");
    EXPECT_EQ(results[0].verdict, Verdict::fail);
    EXPECT_EQ(results[0].observed, "200 instead of 101");
    const auto requests = t.server().requests();
    ASSERT_GE(requests.size(), 1U);
    EXPECT_EQ(requests[0].header("Upgrade"), "websocket");
    EXPECT_EQ(requests[0].header("Sec-WebSocket-Version"), "13");
    EXPECT_EQ(requests[0].header("Origin"), "http://localhost");
}

TEST(WsServerChecksTest, A101WithAWrongAcceptKeyFails) {
    const std::string head =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    ScriptedServerThread t({ScriptedResponse{head, {}, Ending::hang}});
    const auto results = check_ws_server(ws_url(t), quick());
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].verdict, Verdict::fail);
    EXPECT_NE(results[0].observed.find("Sec-WebSocket-Accept"), std::string::npos) << results[0].observed;
}

TEST(WsServerChecksTest, ANonWebSocketUrlIsRefused) {
    EXPECT_THROW(check_ws_server("http://127.0.0.1:1/", quick()), net::UrlError);
}

}  // namespace
}  // namespace evsim::conformance
