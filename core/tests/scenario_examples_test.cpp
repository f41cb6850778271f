// The example scenarios in scenarios/ load and mean what their comments say, so they never rot.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <variant>

#include "evsim/core/scenario.hpp"

namespace sc = evsim::scenario;
using namespace std::chrono_literals;

namespace {

sc::Scenario load(const char* name) { return sc::load_scenario_file(std::string(EVSIM_SCENARIOS_DIR) + "/" + name); }

}  // namespace

TEST(ScenarioExamples, EveryExampleLoads) {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(EVSIM_SCENARIOS_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        SCOPED_TRACE(entry.path().string());
        EXPECT_NO_THROW(sc::load_scenario_file(entry.path().string()));
        ++count;
    }
    EXPECT_GE(count, 3);
}

TEST(ScenarioExamples, Dashboard) {
    const sc::Scenario s = load("dashboard.yaml");
    EXPECT_EQ(s.seed, 42u);
    ASSERT_EQ(s.producers.size(), 4u);
    const sc::ProducerSpec& sse = s.producers[0];
    EXPECT_EQ(sse.name, "temperatures");
    EXPECT_EQ(sse.port, 8081);
    EXPECT_EQ(sse.sse.framing, evsim::sse::Framing::crlf);
    EXPECT_TRUE(sse.sse.replay.enabled);
    EXPECT_EQ(sse.sse.replay.max_events, 100u);
    EXPECT_EQ(s.producers[1].type, sc::ProducerType::ws);
    EXPECT_EQ(s.producers[1].ws.ping, std::chrono::microseconds(30s));
    const sc::ProducerSpec& fetch = s.producers[2];
    EXPECT_TRUE(fetch.cors.allow_credentials);
    EXPECT_EQ(fetch.cors.max_age, 600s);
    ASSERT_TRUE(std::holds_alternative<evsim::payload::JsonTemplate>(fetch.payload));
    EXPECT_EQ(s.producers[3].file.path, "/tmp/evsim-readings.txt");
    EXPECT_EQ(s.producers[3].where.line, 37);
}

TEST(ScenarioExamples, LoadMixed) {
    const sc::Scenario s = load("load-mixed.yaml");
    ASSERT_EQ(s.producers.size(), 3u);
    EXPECT_EQ(std::get<evsim::payload::PadTo>(s.producers[0].payload).size, 1024);
    EXPECT_EQ(s.producers[1].host, "::1");
    EXPECT_EQ(std::get<evsim::cadence::Bursts>(s.producers[1].cadence).count, 50);
    EXPECT_EQ(s.producers[2].fetch.mode, sc::FetchMode::batch);
    EXPECT_EQ(s.producers[2].fetch.batch_size, 50u);
}

TEST(ScenarioExamples, MinimalHasEveryDefault) {
    const sc::Scenario s = load("minimal.yaml");
    EXPECT_FALSE(s.seed.has_value());
    ASSERT_EQ(s.producers.size(), 1u);
    const sc::ProducerSpec& p = s.producers[0];
    EXPECT_EQ(p.host, "127.0.0.1");
    EXPECT_EQ(p.port, 0);
    EXPECT_EQ(std::get<evsim::cadence::FixedInterval>(p.cadence).interval, 3s);
    EXPECT_EQ(std::get<evsim::payload::RandomInt>(p.payload).min, 10);
    EXPECT_EQ(std::get<evsim::payload::RandomInt>(p.payload).max, 98);
    EXPECT_EQ(p.cors.allow_origins, std::vector<std::string>{"*"});
}

TEST(ScenarioExamples, ResilienceHasAFaultOfEveryKind) {
    const sc::Scenario s = load("resilience.yaml");
    ASSERT_EQ(s.producers.size(), 4U);
    std::set<evsim::faults::Kind> kinds;
    for (const auto& producer : s.producers)
        for (const auto& fault : producer.faults) kinds.insert(fault.kind);
    EXPECT_EQ(kinds.size(), 10U);  // every kind there is
    EXPECT_EQ(s.producers[0].queue.on_full, sc::SlowConsumer::disconnect);
}

TEST(ScenarioExamples, UnreadableFileIsNamed) {
    try {
        sc::load_scenario_file("/nonexistent/evsim.yaml");
        FAIL() << "no error";
    } catch (const sc::ScenarioError& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/evsim.yaml:1:1: cannot read scenario file '/nonexistent/evsim.yaml'");
    }
}

TEST(ScenarioExamples, SecureServesEveryNetworkProducerOverTls) {
    const sc::Scenario s = load("secure.yaml");
    EXPECT_FALSE(s.tls.has_value());  // a self-signed certificate, made at start
    for (const auto& producer : s.producers) EXPECT_EQ(producer.tls, producer.type != sc::ProducerType::file);
}

TEST(ScenarioExamples, TlsFilesAreRelativeToTheScenario) {
    const auto dir = std::filesystem::temp_directory_path() / ("evsim-tls-paths-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "s.yaml";
    std::ofstream(file) << "tls: {certificate: cert.pem, key: /etc/k.pem}\nproducers:\n  - {name: a, type: sse, tls: true}\n";
    const auto s = sc::load_scenario_file(file.string());
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(s.tls.has_value());
    EXPECT_EQ(s.tls->certificate, (dir / "cert.pem").string());
    EXPECT_EQ(s.tls->key, "/etc/k.pem");
}
