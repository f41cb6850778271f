// evsim check server on SSE: evsim's own producers pass, and each fault they can inject is flagged
// with the matching verdict; scripted servers supply what the producers never do (a head held back
// until the first event, a missing Cache-Control).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "evsim/conformance/scripted_server_thread.hpp"
#include "evsim/conformance/server_checks.hpp"
#include "evsim/net/http_exchange.hpp"
#include "evsim/net/url.hpp"
#include "producer_thread.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;

// One SSE producer pushing every 20 ms.
class SseServer : public test::ProducerThread {
public:
    explicit SseServer(scenario::ProducerSpec spec) : ProducerThread(sse(std::move(spec))) {}

private:
    static scenario::ProducerSpec sse(scenario::ProducerSpec spec) {
        spec.name = "events";
        spec.type = scenario::ProducerType::sse;
        spec.cadence = cadence::FixedInterval{20ms};
        return spec;
    }
};

using test::result_of;
using test::verdicts;

ServerCheckOptions quick() {
    ServerCheckOptions options;
    options.observe = 300ms;
    options.timeout = 5s;
    return options;
}

faults::FaultSpec request_fault(faults::Kind kind) {
    faults::FaultSpec fault;
    fault.kind = kind;
    fault.trigger.every = 1;
    return fault;
}

// ids from a counter and a replay ring: what a stream needs to pass every check but credentials.
scenario::ProducerSpec resumable() {
    scenario::ProducerSpec spec;
    spec.sse.id = scenario::SseIdScheme::counter;
    spec.sse.replay.enabled = true;
    return spec;
}

TEST(SseServerChecksTest, EvsimsOwnProducerPassesEveryCheck) {
    SseServer server(resumable());
    const auto results = check_sse_server(server.url(), quick());
    ASSERT_GE(results.size(), 12U);
    for (const auto& r : results) {
        // '*' (the producers' default CORS) is what no credentialed request may read.
        if (r.id == "sse.credentials") EXPECT_EQ(r.verdict, Verdict::info) << r.observed;
        else EXPECT_EQ(r.verdict, Verdict::pass) << r.id << ": " << r.observed;
    }
    EXPECT_FALSE(failed(results));
}

TEST(SseServerChecksTest, ResumeTellsReplayFromLossAndFromNoIds) {
    {
        SseServer server(resumable());
        const auto results = check_sse_server(server.url(), quick());
        const auto& r = result_of(results, "sse.resume");
        EXPECT_EQ(r.verdict, Verdict::pass) << r.observed;
        EXPECT_NE(r.observed.find(", the next one"), std::string::npos) << r.observed;
    }
    {
        // ids but no replay: what was sent while the client reconnected is lost.
        auto spec = resumable();
        spec.sse.replay.enabled = false;
        SseServer server(spec);
        const auto results = check_sse_server(server.url(), quick());
        const auto& r = result_of(results, "sse.resume");
        EXPECT_EQ(r.verdict, Verdict::info);
        EXPECT_NE(r.observed.find("were not replayed (lost on reconnecting)"), std::string::npos) << r.observed;
    }
    {
        SseServer server(scenario::ProducerSpec{});
        const auto results = check_sse_server(server.url(), quick());
        const auto& r = result_of(results, "sse.resume");
        EXPECT_EQ(r.verdict, Verdict::info);
        EXPECT_EQ(r.observed, "no event carried an id: a reconnecting client cannot say where it was");
    }
}

TEST(SseServerChecksTest, ResumeFromTheStartIsDuplicates) {
    // A server that ignores Last-Event-ID and numbers every stream from 1 again.
    // The stream, the preflight (refused), the reconnection.
    const ScriptedResponse stream{event_stream_head(), {{0ms, "id: 1\ndata: a\n\nid: 2\ndata: b\n\n"}}, Ending::hang};
    ScriptedServerThread scripted({stream, ScriptedResponse{make_head(405, {{"Content-Length", "0"}}), {}, Ending::close}, stream});
    const auto results = check_sse_server(scripted.server().url(), quick());
    const auto& r = result_of(results, "sse.resume");
    EXPECT_EQ(r.verdict, Verdict::info);
    EXPECT_EQ(r.observed,
              "after Last-Event-ID: 2 and a pause of 100 ms, the stream went on at id 1, which the client had already "
              "seen: it gets duplicates");
    const auto requests = scripted.server().requests();
    ASSERT_EQ(requests.size(), 3U);  // the stream, the preflight, the reconnection
    EXPECT_EQ(requests[1].method, "OPTIONS");
    EXPECT_EQ(requests[2].header("Last-Event-ID"), "2");
}

TEST(SseServerChecksTest, CredentialsAndThePreflightFollowTheCorsPolicy) {
    auto spec = resumable();
    spec.cors.allow_origins = {"http://localhost"};
    spec.cors.allow_credentials = true;
    spec.cors.allow_headers = {"Authorization", "Last-Event-ID"};
    SseServer named(spec);
    auto results = check_sse_server(named.url(), quick());
    EXPECT_EQ(result_of(results, "sse.credentials").verdict, Verdict::pass) << result_of(results, "sse.credentials").observed;
    EXPECT_EQ(result_of(results, "sse.preflight").verdict, Verdict::pass) << result_of(results, "sse.preflight").observed;

    // Another origin may neither read the stream with credentials nor pass the preflight.
    auto options = quick();
    options.origin = "http://elsewhere";
    results = check_sse_server(named.url(), options);
    EXPECT_EQ(result_of(results, "sse.credentials").verdict, Verdict::info);
    EXPECT_EQ(result_of(results, "sse.credentials").observed,
              "the server answers without Access-Control-Allow-Origin: the browser blocks the response");
    EXPECT_EQ(result_of(results, "sse.preflight").verdict, Verdict::info);

    // A server that does not answer OPTIONS.
    ScriptedServerThread scripted({ScriptedResponse{event_stream_head(), {{0ms, "data: a\n\n"}}, Ending::hang},
                                   ScriptedResponse{make_head(405, {{"Content-Length", "0"}}), {}, Ending::close},
                                   ScriptedResponse{event_stream_head(), {{0ms, "data: a\n\n"}}, Ending::hang}});
    const auto scripted_results = check_sse_server(scripted.server().url(), quick());
    const auto& preflight = result_of(scripted_results, "sse.preflight");
    EXPECT_EQ(preflight.verdict, Verdict::info);
    EXPECT_NE(preflight.observed.find("answered 405"), std::string::npos) << preflight.observed;

    // Access-Control-Allow-Headers: * allows Last-Event-ID but never Authorization (Fetch wants it by name).
    ScriptedServerThread wildcard(
        {ScriptedResponse{event_stream_head(), {{0ms, "data: a\n\n"}}, Ending::hang},
         ScriptedResponse{make_head(204, {{"Access-Control-Allow-Origin", "*"}, {"Access-Control-Allow-Headers", "*"}}), {}, Ending::close},
         ScriptedResponse{event_stream_head(), {{0ms, "data: a\n\n"}}, Ending::hang}});
    const auto wildcard_results = check_sse_server(wildcard.server().url(), quick());
    const auto& star = result_of(wildcard_results, "sse.preflight");
    EXPECT_EQ(star.verdict, Verdict::info);
    EXPECT_EQ(star.observed, "authorization not in Access-Control-Allow-Headers");
}

TEST(SseServerChecksTest, AnErrorStatusFailsAndStopsThere) {
    auto spec = scenario::ProducerSpec{};
    auto fault = request_fault(faults::Kind::status);
    fault.status = 503;
    spec.faults = {fault};
    SseServer server(spec);
    const auto results = check_sse_server(server.url(), quick());
    const auto v = verdicts(results);
    EXPECT_EQ(v.at("sse.status"), Verdict::fail);
    EXPECT_EQ(v.at("sse.content-type"), Verdict::fail);
    EXPECT_EQ(results.size(), 2U);  // a browser reads no further
    EXPECT_EQ(results[0].observed, "503");
    EXPECT_TRUE(failed(results));
}

TEST(SseServerChecksTest, AWrongContentTypeFails) {
    auto spec = scenario::ProducerSpec{};
    auto fault = request_fault(faults::Kind::content_type);
    fault.content_type = "text/plain";
    spec.faults = {fault};
    SseServer server(spec);
    const auto results = check_sse_server(server.url(), quick());
    EXPECT_EQ(verdicts(results).at("sse.content-type"), Verdict::fail);
    EXPECT_EQ(verdicts(results).at("sse.status"), Verdict::pass);
}

TEST(SseServerChecksTest, MalformedBytesFailUtf8) {
    auto spec = scenario::ProducerSpec{};
    faults::FaultSpec fault;
    fault.kind = faults::Kind::malformed;
    fault.trigger.after = 2;
    fault.bytes = faults::default_malformed_sse();  // what the scenario loader fills in
    spec.faults = {fault};
    SseServer server(spec);
    const auto v = verdicts(check_sse_server(server.url(), quick()));
    EXPECT_EQ(v.at("sse.utf8"), Verdict::fail);
}

TEST(SseServerChecksTest, ATinyRetryIsNonStrict) {
    auto spec = scenario::ProducerSpec{};
    spec.sse.retry = std::chrono::milliseconds(10);
    SseServer server(spec);
    const auto results = check_sse_server(server.url(), quick());
    EXPECT_EQ(verdicts(results).at("sse.retry"), Verdict::non_strict);
    EXPECT_FALSE(failed(results));  // a SHOULD: NON-STRICT does not fail the run
}

TEST(SseServerChecksTest, AClosedStreamIsReported) {
    auto spec = scenario::ProducerSpec{};
    faults::FaultSpec fault;
    fault.kind = faults::Kind::reset;
    fault.trigger.after = 2;
    spec.faults = {fault};
    SseServer server(spec);
    const auto v = verdicts(check_sse_server(server.url(), quick()));
    EXPECT_EQ(v.at("sse.connection"), Verdict::info);
}

TEST(SseServerChecksTest, ACleanCloseIsReportedAndTheStreamUpToItJudged) {
    auto spec = scenario::ProducerSpec{};
    faults::FaultSpec fault;
    fault.kind = faults::Kind::close;
    fault.trigger.after = 2;
    spec.faults = {fault};
    SseServer server(spec);
    const auto results = check_sse_server(server.url(), quick());
    const auto v = verdicts(results);
    EXPECT_EQ(v.at("sse.connection"), Verdict::info);
    EXPECT_EQ(v.at("sse.parse"), Verdict::pass);
    EXPECT_EQ(v.at("sse.events"), Verdict::pass);
    EXPECT_FALSE(failed(results));
}

TEST(SseServerChecksTest, AStallLongerThanTheKeepaliveLimitIsNonStrict) {
    // The standard's 15 s, scaled down: a team sets --keepalive to its proxy's idle timeout.
    auto spec = scenario::ProducerSpec{};
    faults::FaultSpec fault;
    fault.kind = faults::Kind::stall;
    fault.trigger.after = 1;
    fault.duration = 900ms;
    spec.faults = {fault};
    SseServer server(spec);
    auto options = quick();
    options.observe = 1500ms;
    options.keepalive = 500ms;
    const auto results = check_sse_server(server.url(), options);
    const auto& keepalive = result_of(results, "sse.keepalive");
    EXPECT_EQ(keepalive.verdict, Verdict::non_strict) << keepalive.observed;
    EXPECT_EQ(keepalive.title, "never silent for more than 500 ms");
    EXPECT_FALSE(failed(results));

    // The same stream passes when the limit is above the stall.
    options.keepalive = 1800ms;
    EXPECT_EQ(verdicts(check_sse_server(server.url(), options)).at("sse.keepalive"), Verdict::pass);
}

TEST(SseServerChecksTest, AHeadHeldBackUntilTheFirstEventAndNoCacheControlAreNonStrict) {
    // The head and the first event leave together, 1.2 s after the request: the classic buffering bug.
    ScriptedServerThread scripted({ScriptedResponse{
        "",
        {BodyPiece{1200ms, make_head(200, {{"Content-Type", "text/event-stream"}}) + "data: late\n\n"}},
        Ending::hang}});
    auto options = quick();
    options.observe = 1500ms;
    const auto results = check_sse_server(scripted.server().url(), options);
    const auto v = verdicts(results);
    EXPECT_EQ(v.at("sse.flush"), Verdict::non_strict);
    EXPECT_EQ(v.at("sse.cache"), Verdict::non_strict);
    EXPECT_EQ(v.at("sse.cors"), Verdict::info);
    EXPECT_EQ(v.at("sse.status"), Verdict::pass);
    EXPECT_FALSE(failed(results));
}

TEST(SseServerChecksTest, ARedirectIsFollowedAsEventSourceFollowsIt) {
    auto spec = scenario::ProducerSpec{};
    auto fault = request_fault(faults::Kind::redirect);
    fault.status = 307;
    fault.location = "/moved";
    fault.trigger = {};
    fault.trigger.after = 1;  // the first request only: the second reaches the stream
    spec.faults = {fault};
    SseServer server(spec);
    const auto results = check_sse_server(server.url(), quick());
    const auto v = verdicts(results);
    EXPECT_EQ(v.at("sse.redirect"), Verdict::info);
    EXPECT_EQ(v.at("sse.status"), Verdict::pass);
    EXPECT_EQ(v.at("sse.events"), Verdict::pass);
    EXPECT_FALSE(failed(results));
    for (const auto& r : results) {
        if (r.id == "sse.redirect") {
            EXPECT_EQ(r.observed.rfind("followed 307 to http://127.0.0.1:", 0), 0U) << r.observed;
        }
    }
}

TEST(SseServerChecksTest, ARedirectLoopFails) {
    ScriptedServerThread scripted({ScriptedResponse{make_head(302, {{"Location", "/again"}}), {}, Ending::close}});
    const auto results = check_sse_server(scripted.server().url(), quick());
    const auto v = verdicts(results);
    EXPECT_EQ(v.at("sse.redirect"), Verdict::fail);
    EXPECT_EQ(v.at("sse.status"), Verdict::fail);
    EXPECT_EQ(scripted.server().requests().size(), 21U);  // the first and Fetch's 20 redirects
}

TEST(SseServerChecksTest, SplitAndDrippedEventsAreStillAValidStream) {
    // Writes cut anywhere are legal: a client must reassemble them, so no check may flag them.
    for (const auto kind : {faults::Kind::split, faults::Kind::drip}) {
        auto spec = scenario::ProducerSpec{};
        faults::FaultSpec fault;
        fault.kind = kind;
        fault.trigger.after = 1;
        fault.at_bytes = {3, 9};
        fault.gap = 10ms;
        fault.chunk = 2;
        fault.duration = 150ms;
        spec.faults = {fault};
        SseServer server(spec);
        const auto results = check_sse_server(server.url(), quick());
        for (const auto& r : results) EXPECT_NE(r.verdict, Verdict::fail) << faults::to_string(kind) << " " << r.id << ": " << r.observed;
        const auto v = verdicts(results);
        EXPECT_EQ(v.at("sse.parse"), Verdict::pass);
        EXPECT_EQ(v.at("sse.events"), Verdict::pass);
    }
}

TEST(SseServerChecksTest, UnreachableServersAndBadUrlsThrow) {
    EXPECT_THROW(check_sse_server("ftp://x/", quick()), net::UrlError);
    // A port nothing listens on: take one and let it go.
    std::string url;
    {
        SseServer server(scenario::ProducerSpec{});
        url = server.url();
    }
    EXPECT_THROW(check_sse_server(url, quick()), net::HttpExchangeError);
}

}  // namespace
}  // namespace evsim::conformance
