// evsim check server on WebSocket: evsim's ws producer passes, a malformed fault (invalid UTF-8 in
// a text frame) fails ws.utf8, a reset shows as ws.connection.
#include <gtest/gtest.h>

#include "evsim/conformance/server_checks.hpp"
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
    EXPECT_EQ(results.size(), 5U);
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

TEST(WsServerChecksTest, ANonWebSocketUrlIsRefused) {
    EXPECT_THROW(check_ws_server("http://127.0.0.1:1/", quick()), net::UrlError);
}

}  // namespace
}  // namespace evsim::conformance
