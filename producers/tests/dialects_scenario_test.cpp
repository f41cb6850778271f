// scenarios/dialects.yaml starts all four dialects at once (on free ports here), each answering
// its own protocol's first request.
#include <gtest/gtest.h>

#include <filesystem>

#include "evsim/net/http_exchange.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

using namespace std::chrono_literals;

TEST(DialectsScenario, StartsAllFourDialectsAtOnce) {
    auto scenario = scenario::load_scenario_file((std::filesystem::path(EVSIM_SCENARIOS_DIR) / "dialects.yaml").string());
    ASSERT_EQ(scenario.producers.size(), 4U);
    for (auto& producer : scenario.producers) producer.port = 0;  // tests never take fixed ports
    test::LogCapture log;
    test::RunningSet running(scenario, test::set_options(log));

    const auto head_of = [&](const std::string& name, const std::string& target) {
        test::Client client(running.port(name));
        client.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return client.read_until([](const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; });
    };
    EXPECT_EQ(head_of("eventsource-lib", "/poll/t1").rfind("HTTP/1.1 200", 0), 0U);
    EXPECT_EQ(head_of("machbase-watch", "/db/watch/example?tag=neo_load1").rfind("HTTP/1.1 200", 0), 0U);
    EXPECT_EQ(head_of("machbase-watch", "/db/watch/syslog").rfind("HTTP/1.1 200", 0), 0U);
    const auto push = head_of("wakanda-push", "/eventsource");
    EXPECT_EQ(push.rfind("HTTP/1.1 200", 0), 0U) << push;

    net::HttpQuestion login;
    login.method = "POST";
    login.body = R"({"name":"boschrexroth","password":"boschrexroth"})";
    login.tls.verify_peer = false;
    const auto answer = net::http_exchange(
        net::parse_url("https://127.0.0.1:" + std::to_string(running.port("ctrlx-datalayer")) +
                       "/identity-manager/api/v2/auth/token"),
        login, 5s);
    EXPECT_EQ(answer.status, 201U) << answer.body;
}

}  // namespace
}  // namespace evsim::producers
