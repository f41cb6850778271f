// evsim check server --type fetch: evsim's fetch producer as the samples configure it, with the
// faults and CORS policies that change the verdicts.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "evsim/conformance/server_checks.hpp"
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
