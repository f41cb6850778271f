// evsim lint --probe against a real server: evsim's own fetch producer on 127.0.0.1 port 0, with the
// CORS policies a dashboard meets in the wild.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "evsim/conformance/dashboard_lint.hpp"
#include "evsim/core/dashboard_config.hpp"
#include "producer_thread.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;

// A fetch producer with `cors`.
class FetchServer : public test::ProducerThread {
public:
    explicit FetchServer(scenario::CorsPolicy cors) : ProducerThread(spec(std::move(cors))) {}
    std::string url() const { return ProducerThread::url("/now"); }

private:
    static scenario::ProducerSpec spec(scenario::CorsPolicy cors) {
        scenario::ProducerSpec spec;
        spec.name = "api";
        spec.type = scenario::ProducerType::fetch;
        spec.cors = std::move(cors);
        return spec;
    }
};

std::vector<Finding> lint_against(const FetchServer& server) {
    const std::string js = "sys_eventProviders = [{ type: 'FETCH', url: '" + server.url() +
                           "', events: ['a'], interval: 1000, credentials: 'include' }];";
    const auto registry = dashboard::read_registry(js, "config.js");
    LintOptions options;
    options.origin = "http://localhost:3000";
    options.probe = live_cors_probe(5s);
    return lint_dashboard(registry, dashboard::plan_from_registry(registry, "config.js"), options);
}

TEST(LintProbeTest, AServerThatAllowsEveryOriginFailsCredentialedFetch) {
    FetchServer server(scenario::CorsPolicy{});  // the default: Access-Control-Allow-Origin: *
    const auto findings = lint_against(server);
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_EQ(findings[0].severity, Severity::error);
    EXPECT_NE(findings[0].message.find("Access-Control-Allow-Origin: *"), std::string::npos) << findings[0].message;
}

TEST(LintProbeTest, AServerThatNamesTheOriginWithCredentialsPasses) {
    scenario::CorsPolicy cors;
    cors.allow_origins = {"http://localhost:3000"};
    cors.allow_credentials = true;
    FetchServer server(cors);
    EXPECT_TRUE(lint_against(server).empty());
}

TEST(LintProbeTest, AnotherOriginIsBlocked) {
    scenario::CorsPolicy cors;
    cors.allow_origins = {"http://elsewhere.example"};
    cors.allow_credentials = true;
    FetchServer server(cors);
    const auto findings = lint_against(server);
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_NE(findings[0].message.find("without Access-Control-Allow-Origin"), std::string::npos) << findings[0].message;
}

}  // namespace
}  // namespace evsim::conformance
