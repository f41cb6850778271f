// evsim check server --type fetch: evsim's fetch producer as the samples configure it, with the
// faults and CORS policies that change the verdicts.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "check_parts.hpp"
#include "evsim/conformance/server_checks.hpp"
#include "evsim/net/url.hpp"
#include "producer_thread.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;

scenario::ProducerSpec fetch_spec() {
    scenario::ProducerSpec spec;
    spec.name = "poll";
    spec.type = scenario::ProducerType::fetch;
    return spec;
}

using test::verdicts;

ServerCheckOptions quick() {
    ServerCheckOptions options;
    options.timeout = 5s;
    options.origin = "http://localhost:3000";
    return options;
}

TEST(FetchServerChecksTest, TheReferenceFetchEmitterPasses) {
    test::ProducerThread server(fetch_spec());
    const auto v = verdicts(check_fetch_server(server.url(), quick()));
    EXPECT_EQ(v.at("fetch.status"), Verdict::pass);
    EXPECT_EQ(v.at("fetch.content-type"), Verdict::pass);
    EXPECT_EQ(v.at("fetch.body"), Verdict::pass);
    EXPECT_EQ(v.at("fetch.cache"), Verdict::pass);
    EXPECT_EQ(v.at("fetch.cors"), Verdict::pass);
    EXPECT_EQ(v.at("fetch.credentials"), Verdict::info);  // '*' cannot serve credentialed fetches
}

TEST(FetchServerChecksTest, AnErrorStatusFails) {
    auto spec = fetch_spec();
    faults::FaultSpec fault;
    fault.kind = faults::Kind::status;
    fault.status = 500;
    fault.trigger.every = 1;
    spec.faults = {fault};
    test::ProducerThread server(spec);
    const auto results = check_fetch_server(server.url(), quick());
    EXPECT_EQ(verdicts(results).at("fetch.status"), Verdict::fail);
    EXPECT_TRUE(failed(results));
}

TEST(FetchServerChecksTest, ARedirectIsFollowedAsFetchFollowsIt) {
    // The redirect fault answers every other request, so the second request reaches the value.
    auto spec = fetch_spec();
    faults::FaultSpec fault;
    fault.kind = faults::Kind::redirect;
    fault.status = 307;
    fault.location = "/poll";
    fault.trigger.every = 2;
    spec.faults = {fault};
    test::ProducerThread server(spec);
    // The first request is the 1st (no redirect); make it the 2nd by spending one.
    check_fetch_server(server.url(), quick());
    const auto results = check_fetch_server(server.url(), quick());
    const auto v = verdicts(results);
    ASSERT_EQ(v.count("fetch.redirect"), 1U);
    EXPECT_EQ(v.at("fetch.redirect"), Verdict::info);
    EXPECT_EQ(results[0].observed, "followed 307 to " + server.url().substr(0, server.url().size() - 1) + "/poll");
    EXPECT_EQ(v.at("fetch.status"), Verdict::pass);
    EXPECT_FALSE(failed(results));
}

TEST(FetchServerChecksTest, ACrossOriginRedirectDropsCredentialsAndSendsOriginNull) {
    std::vector<std::pair<std::string, std::string>> headers{
        {"Origin", "http://localhost"}, {"Authorization", "Bearer t"}, {"cookie", "a=b"}, {"Accept", "*/*"}};
    const auto from = net::parse_url("http://127.0.0.1:8080/a");
    auto same = headers;
    EXPECT_EQ(detail::redirect_hop(from, "/b", same).to_string(), "http://127.0.0.1:8080/b");
    EXPECT_EQ(same, headers);  // same origin: the request is unchanged
    auto other = headers;
    EXPECT_EQ(detail::redirect_hop(from, "http://127.0.0.1:9090/b", other).to_string(), "http://127.0.0.1:9090/b");
    const std::vector<std::pair<std::string, std::string>> stripped{{"Origin", "null"}, {"Accept", "*/*"}};
    EXPECT_EQ(other, stripped);
    EXPECT_THROW(detail::redirect_hop(from, "ftp://127.0.0.1/x", other), net::UrlError);
}

TEST(FetchServerChecksTest, ARedirectLoopFails) {
    auto spec = fetch_spec();
    faults::FaultSpec fault;
    fault.kind = faults::Kind::redirect;
    fault.status = 302;
    fault.location = "/poll";
    fault.trigger.every = 1;
    spec.faults = {fault};
    test::ProducerThread server(spec);
    const auto results = check_fetch_server(server.url(), quick());
    const auto v = verdicts(results);
    EXPECT_EQ(v.at("fetch.redirect"), Verdict::fail);
    EXPECT_EQ(v.at("fetch.status"), Verdict::fail);
}

TEST(FetchServerChecksTest, AJsonBodyUnderAnotherContentTypeIsNonStrict) {
    auto spec = fetch_spec();
    // A JSON document (which the producer serves as application/json), sent as text/plain by the fault.
    payload::JsonTemplate json;
    json.text = R"({"v": {{v}}})";
    json.fields.push_back({"v", payload::Counter{}});
    spec.payload = json;
    faults::FaultSpec fault;
    fault.kind = faults::Kind::content_type;
    fault.content_type = "text/plain";
    fault.trigger.every = 1;
    spec.faults = {fault};
    test::ProducerThread server(spec);
    const auto results = check_fetch_server(server.url(), quick());
    const auto& type = test::result_of(results, "fetch.content-type");
    EXPECT_EQ(type.verdict, Verdict::non_strict);
    EXPECT_EQ(type.expected, "application/json (the body is JSON)");
    EXPECT_EQ(type.observed, "text/plain");
    EXPECT_FALSE(failed(results));

    // Without the fault the producer says application/json, and the check passes.
    spec.faults.clear();
    test::ProducerThread plain(spec);
    EXPECT_EQ(verdicts(check_fetch_server(plain.url(), quick())).at("fetch.content-type"), Verdict::pass);
}

TEST(FetchServerChecksTest, OriginsAndCredentials) {
    auto spec = fetch_spec();
    spec.cors.allow_origins = {"http://localhost:3000"};
    spec.cors.allow_credentials = true;
    test::ProducerThread named(spec);
    auto v = verdicts(check_fetch_server(named.url(), quick()));
    EXPECT_EQ(v.at("fetch.cors"), Verdict::pass);
    EXPECT_EQ(v.at("fetch.credentials"), Verdict::pass);

    auto other = quick();
    other.origin = "http://elsewhere.example";
    v = verdicts(check_fetch_server(named.url(), other));
    EXPECT_EQ(v.at("fetch.cors"), Verdict::fail);  // the browser would block the page
}

}  // namespace
}  // namespace evsim::conformance
