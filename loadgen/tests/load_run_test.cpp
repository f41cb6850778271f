// The load generator against evsim's own producers on loopback: the browser pool, reconnects with
// Last-Event-ID, the four source types, counts checked against the producers' own counters, and
// stopping early. Runs are bounded by their schedules; the tests that wait for something stop
// the run as soon as the progress callback sees it.
#include "evsim/loadgen/load_run.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <atomic>
#include <thread>
#include <filesystem>
#include <fstream>

#include "evsim/core/scenario.hpp"
#include "producers_on_thread.hpp"

namespace evsim::loadgen {
namespace {

using namespace std::chrono_literals;
using testing::ProducersOnThread;

scenario::ProducerSpec producer(const std::string& name, scenario::ProducerType type) {
    scenario::ProducerSpec p;
    p.name = name;
    p.type = type;
    p.cadence = cadence::FixedInterval{std::chrono::hours(1)};  // the first event at start, then only what tests publish
    p.measurement_metadata = true;
    if (type == scenario::ProducerType::sse) p.sse.id = scenario::SseIdScheme::measurement;
    return p;
}

scenario::LoadSource source(const std::string& producer_name, scenario::ProducerType type) {
    scenario::LoadSource s;
    s.producer = producer_name;
    s.type = type;
    return s;
}

// One group of `vus` VUs that all start at once and stay `hold`.
scenario::LoadSpec one_group(std::vector<scenario::LoadSource> sources, std::size_t vus, std::chrono::microseconds hold,
                             std::optional<bool> browser = std::nullopt) {
    scenario::LoadSpec load;
    scenario::UserGroup group;
    group.name = "g";
    group.sources = std::move(sources);
    group.browser = browser;
    scenario::LoadStage ramp;
    ramp.kind = scenario::LoadStage::Kind::ramp;
    ramp.target = vus;
    scenario::LoadStage stay;
    stay.kind = scenario::LoadStage::Kind::hold;
    stay.duration = hold;
    group.stages = {ramp, stay};
    load.users.push_back(group);
    return load;
}

// Plays `load` against `producers`; `until` (optional) is asked after every 50 ms sample and ends
// the run when it returns true.
Results play(const scenario::Scenario& scenario, const std::map<std::string, std::string>& urls,
             std::function<bool(const Progress&)> until = nullptr, std::size_t threads = 1) {
    auto groups = resolve_targets(scenario, urls);
    LoadRunOptions options;
    options.threads = threads;
    options.sample_interval = 50ms;
    LoadRun* self = nullptr;
    std::atomic<bool> stopped{false};
    options.on_progress = [&](const Progress& p) {
        if (until && !stopped && until(p)) {
            stopped = true;
            self->stop("condition met");
        }
    };
    LoadRun run(*scenario.load, std::move(groups), plan_schedule(*scenario.load), options);
    self = &run;
    return run.run();
}

scenario::Scenario with(std::vector<scenario::ProducerSpec> producers, scenario::LoadSpec load) {
    scenario::Scenario s;
    s.source = "test";
    s.producers = std::move(producers);
    s.load = std::move(load);
    return s;
}

TEST(LoadRun, BrowserModeHoldsTheSeventhSseSourceToOneHostPending) {
    const auto scenario = with({producer("p", scenario::ProducerType::sse)},
                               one_group(std::vector(7, source("p", scenario::ProducerType::sse)), 1, 20s, true));
    ProducersOnThread producers(scenario);
    const Results r = play(scenario, producers.urls(), [](const Progress& p) { return p.open == 6 && p.pending == 1; });
    EXPECT_EQ(r.metrics.connects, 6u);
    EXPECT_EQ(r.peak_open, 6);
    EXPECT_EQ(r.peak_pending, 1);
    EXPECT_EQ(r.metrics.pool_never_granted, 1u);  // the seventh waited until its VU left
    EXPECT_EQ(r.metrics.pool_wait.count(), 1u);
    EXPECT_LT(r.elapsed_s, 15.0);
}

TEST(LoadRun, RawModeOpensEverySource) {
    const auto scenario = with({producer("p", scenario::ProducerType::sse)},
                               one_group(std::vector(7, source("p", scenario::ProducerType::sse)), 1, 20s));
    ProducersOnThread producers(scenario);
    const Results r = play(scenario, producers.urls(), [](const Progress& p) { return p.open == 7; });
    EXPECT_EQ(r.metrics.connects, 7u);
    EXPECT_EQ(r.peak_pending, 0);
    EXPECT_EQ(r.metrics.pool_never_granted, 0u);
}

TEST(LoadRun, WebSocketsAreNotHeldByTheSixConnectionLimit) {
    const auto scenario = with({producer("w", scenario::ProducerType::ws)},
                               one_group(std::vector(7, source("w", scenario::ProducerType::ws)), 1, 20s, true));
    ProducersOnThread producers(scenario);
    const Results r = play(scenario, producers.urls(), [](const Progress& p) { return p.open == 7; });
    EXPECT_EQ(r.metrics.connects, 7u);
    EXPECT_EQ(r.peak_pending, 0);
}

TEST(LoadRun, WebSocketSourcesAnswerPingsAndStayConnected) {
    // The producer pings after 100 ms of silence from the client and drops it after 200 ms without
    // an answer; its events come once an hour. Only pongs keep the connection for 1.5 s.
    auto ws = producer("w", scenario::ProducerType::ws);
    auto scenario = with({ws}, one_group({source("w", scenario::ProducerType::ws)}, 1, 20s));
    scenario.timeouts.idle = std::chrono::milliseconds(200);
    ProducersOnThread producers(scenario);
    int samples = 0;
    const Results r = play(scenario, producers.urls(), [&](const Progress&) { return ++samples >= 30; });
    EXPECT_EQ(r.metrics.connects, 1u);
    EXPECT_EQ(r.metrics.disconnects, 0u) << "dropped: the pings went unanswered";
    EXPECT_GE(r.elapsed_s, 1.4);

    // The control: a client that reads nothing (so answers no ping) is dropped within the same time.
    ASSERT_TRUE(producers.wait_for_clients("w", 0, 2s)) << "the load's own connection is still counted";
    namespace websocket = boost::beast::websocket;
    boost::asio::io_context io;
    websocket::stream<boost::asio::ip::tcp::socket> silent(io);
    const std::string url = producers.urls().at("w");  // ws://127.0.0.1:PORT
    const auto port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
    silent.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
    // (The handshake is answered at once; only what follows depends on pongs.)
    silent.handshake("127.0.0.1", "/");
    // The producer counts it, then drops it once its pings go unanswered past the 200 ms idle timeout.
    EXPECT_TRUE(producers.wait_for_clients("w", 1, 2s)) << "the producer never counted the connection";
    EXPECT_TRUE(producers.wait_for_clients("w", 0, 2s)) << "still connected 2 s without answering pings";
    // What was sent before the drop, then the end; give up (and fail) after 2 s.
    boost::beast::flat_buffer buffer;
    boost::system::error_code ec;
    bool ended = false;
    std::function<void()> read_next = [&] {
        silent.async_read(buffer, [&](boost::system::error_code error, std::size_t) {
            if (error) {
                ec = error;
                ended = true;
                return;
            }
            buffer.consume(buffer.size());
            read_next();
        });
    };
    read_next();
    io.run_for(2s);
    EXPECT_TRUE(ended) << "the connection did not end";
    EXPECT_TRUE(ec);
}

TEST(LoadRun, EveryPublishedEventReachesEverySubscriberAsTheProducerCountsIt) {
    const auto scenario = with({producer("p", scenario::ProducerType::sse), producer("w", scenario::ProducerType::ws)},
                               one_group({source("p", scenario::ProducerType::sse), source("w", scenario::ProducerType::ws)},
                                         5, 20s));
    ProducersOnThread producers(scenario);
    std::atomic<bool> published{false};
    const Results r = play(
        scenario, producers.urls(),
        [&](const Progress& p) {
            if (!published && p.open == 10) {
                producers.publish("p", 200);
                producers.publish("w", 200);
                published = true;
            }
            return published && p.events >= 10 * 201;
        },
        2);
    // Each subscriber got the event published at start (as the latest value, on connect) and the 200.
    const auto sse = producers.stats("p");
    const auto ws = producers.stats("w");
    EXPECT_EQ(sse.events_published, 201u);
    EXPECT_EQ(ws.events_published, 201u);
    EXPECT_EQ(r.metrics.events, 5 * sse.events_published + 5 * ws.events_published);
    EXPECT_EQ(r.metrics.stamped, r.metrics.events);
    EXPECT_EQ(r.metrics.lost, 0u);
    EXPECT_EQ(r.metrics.duplicates, 0u);
    EXPECT_EQ(r.metrics.latency.count(), r.metrics.stamped);
    EXPECT_GT(r.metrics.bytes, 0u);
}

TEST(LoadRun, SseReconnectsWithLastEventIdAndLosesNothing) {
    auto sse = producer("p", scenario::ProducerType::sse);
    sse.cadence = cadence::FixedInterval{std::chrono::milliseconds(10)};
    sse.sse.retry = std::chrono::milliseconds(20);
    sse.sse.replay.enabled = true;
    faults::FaultSpec close;
    close.kind = faults::Kind::close;
    close.trigger.every = 15;
    sse.faults.push_back(close);
    const auto scenario = with({sse}, one_group({source("p", scenario::ProducerType::sse)}, 2, 20s));
    ProducersOnThread producers(scenario);
    const Results r = play(scenario, producers.urls(), [](const Progress& p) { return p.events >= 200; });
    EXPECT_GE(r.metrics.reconnects, 4u);
    EXPECT_GE(r.metrics.disconnects, r.metrics.reconnects);  // the last may not have reopened before the end
    EXPECT_EQ(r.metrics.failures.at("sse.stream_ended"), r.metrics.disconnects);
    EXPECT_EQ(r.metrics.reconnect_time.count(), r.metrics.reconnects);
    EXPECT_GE(r.metrics.reconnect_time.min(), 20'000u);  // the retry delay was honoured
    EXPECT_EQ(r.metrics.lost, 0u);                        // the replay filled every gap
    EXPECT_EQ(r.metrics.duplicates, 0u);
}

TEST(LoadRun, FetchFailuresAndLatencyAreCounted) {
    auto ok = producer("ok", scenario::ProducerType::fetch);
    ok.fetch.latency = std::chrono::milliseconds(30);
    auto broken = producer("broken", scenario::ProducerType::fetch);
    broken.fetch.status = 503;
    auto ok_source = source("ok", scenario::ProducerType::fetch);
    ok_source.interval = std::chrono::milliseconds(50);
    auto broken_source = source("broken", scenario::ProducerType::fetch);
    broken_source.interval = std::chrono::milliseconds(50);
    const auto scenario = with({ok, broken}, one_group({ok_source, broken_source}, 1, 20s));
    ProducersOnThread producers(scenario);
    std::uint64_t seen = 0;
    const Results r = play(scenario, producers.urls(), [&](const Progress&) { return ++seen >= 10; });
    EXPECT_GT(r.metrics.fetch_requests, 4u);
    EXPECT_EQ(r.metrics.fetch_failures, r.metrics.failures.at("fetch.status_503"));
    EXPECT_GE(r.metrics.fetch_failures, 2u);
    EXPECT_GE(r.metrics.fetch_latency.min(), 30'000u);  // the server's 30 ms are in every latency
    // The producers answered every request measured, and at most the one in flight per source when
    // the run stopped besides.
    const auto served = producers.stats("ok").requests_served + producers.stats("broken").requests_served;
    EXPECT_GE(served, r.metrics.fetch_requests);
    EXPECT_LE(served, r.metrics.fetch_requests + 2);
}

TEST(LoadRun, FileSourcesReadRecordsAndCountTornFiles) {
    const auto dir = std::filesystem::temp_directory_path() / ("evsim-load-file-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto good = producer("good", scenario::ProducerType::file);
    good.cadence = cadence::FixedInterval{std::chrono::milliseconds(20)};
    good.file.path = (dir / "good.txt").string();
    scenario::LoadSource good_source = source("good", scenario::ProducerType::file);
    good_source.interval = std::chrono::milliseconds(10);
    scenario::LoadSource torn_source;
    torn_source.url = (dir / "torn.txt").string();
    torn_source.type = scenario::ProducerType::file;
    torn_source.interval = std::chrono::milliseconds(10);
    std::ofstream(dir / "torn.txt") << "event=\"t\";data=\"unterminated";
    const auto scenario = with({good}, one_group({good_source, torn_source}, 1, 20s));
    {
        ProducersOnThread producers(scenario);
        const Results r = play(scenario, producers.urls(), [](const Progress& p) { return p.events >= 5; });
        EXPECT_GE(r.metrics.events, 5u);
        EXPECT_EQ(r.metrics.stamped, r.metrics.events);  // the producer's records carry stamps
        EXPECT_GT(r.metrics.file_torn, 0u);
        EXPECT_GT(r.metrics.file_reads, r.metrics.file_torn);
    }
    // Only once the producer has stopped: its writer would otherwise put a new temporary file in the
    // directory while it is being removed ("Directory not empty", seen in CI).
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
}

TEST(LoadRun, StopEndsTheRunEarlyAndKeepsTheResults) {
    const auto scenario = with({producer("p", scenario::ProducerType::sse)},
                               one_group({source("p", scenario::ProducerType::sse)}, 3, 60s));
    ProducersOnThread producers(scenario);
    const Results r = play(scenario, producers.urls(), [](const Progress& p) { return p.open == 3; });
    EXPECT_TRUE(r.interrupted);
    EXPECT_EQ(r.stop_reason, "condition met");
    EXPECT_LT(r.elapsed_s, 30.0);
    EXPECT_EQ(r.metrics.vus_started, 3u);
    EXPECT_FALSE(r.series.empty());
}

TEST(LoadRun, ConnectionFailuresAreCountedByReason) {
    scenario::Scenario s;
    s.source = "test";
    scenario::LoadSource refused;
    refused.url = "ws://127.0.0.1:1/";
    refused.type = scenario::ProducerType::ws;
    refused.reconnect.delay = std::chrono::milliseconds(10);
    refused.reconnect.max_attempts = 3;
    s.load = one_group({refused}, 2, 20s);
    std::uint64_t samples = 0;
    const Results r = play(s, {}, [&](const Progress& p) { return p.failures >= 6 || ++samples > 100; });
    EXPECT_EQ(r.metrics.connect_failures, 6u);  // three attempts each, then they gave up
    EXPECT_EQ(r.metrics.failures.at("ws.refused"), 6u);
    EXPECT_EQ(r.metrics.connects, 0u);
}

TEST(LoadRun, ADashboardGroupOpensItsConfigsSourcesInABrowserByDefault) {
    // Seven SSE entries to one host and a FETCH entry behind them: six streams open, the seventh
    // and the fetch wait, as in a browser.
    auto sse = producer("p", scenario::ProducerType::sse);
    auto poll = producer("f", scenario::ProducerType::fetch);
    scenario::Scenario producers_only = with({sse, poll}, {});
    producers_only.load.reset();
    ProducersOnThread producers(producers_only);
    const auto dir = std::filesystem::temp_directory_path() / ("evsim-load-dashboard-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::string entries;
    for (int i = 0; i < 7; ++i) entries += "  {type: 'SSE', url: '" + producers.urls().at("p") + "'},\n";
    // The fetch goes to the same host as the streams: the dashboard's own server.
    const std::string fetch_url = producers.urls().at("p");
    entries += "  {type: 'FETCH', url: '" + fetch_url + "', interval: 100},\n";
    std::ofstream(dir / "config.js") << "var sys_eventProviders = [\n" << entries << "];\n";

    scenario::Scenario s = producers_only;
    scenario::LoadSpec load = one_group({}, 1, 20s);
    load.users[0].sources.clear();
    load.users[0].dashboard = (dir / "config.js").string();
    s.load = load;
    const auto groups = resolve_targets(s, producers.urls());
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_TRUE(groups[0].browser);
    ASSERT_EQ(groups[0].sources.size(), 8u);
    EXPECT_EQ(groups[0].sources[7].spec.type, scenario::ProducerType::fetch);
    EXPECT_EQ(groups[0].sources[7].spec.interval, 100ms);
    const Results r = play(s, producers.urls(), [](const Progress& p) { return p.open == 6 && p.pending == 2; });
    EXPECT_EQ(r.metrics.connects, 6u);
    EXPECT_EQ(r.peak_pending, 2);
    EXPECT_EQ(r.metrics.fetch_requests, 0u);  // starved behind six streams
    EXPECT_EQ(r.metrics.pool_never_granted, 2u);
    std::filesystem::remove_all(dir);
}

TEST(LoadRun, DashboardMistakesAreReportedWithTheirPlace) {
    const auto dir = std::filesystem::temp_directory_path() / ("evsim-load-dashboard-bad-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config.js") << "var sys_eventProviders = [\n  {type: 'SSE'},\n];\n";
    scenario::Scenario s;
    s.source = "test";
    s.load = one_group({}, 1, 1s);
    s.load->users[0].dashboard = (dir / "config.js").string();
    try {
        resolve_targets(s, {});
        ADD_FAILURE() << "no error";
    } catch (const TargetError& e) {
        EXPECT_NE(std::string(e.what()).find("config.js:2:3: entry 1 has no url"), std::string::npos) << e.what();
    }
    s.load->users[0].dashboard = (dir / "missing.js").string();
    EXPECT_THROW(resolve_targets(s, {}), TargetError);
    std::filesystem::remove_all(dir);
}

TEST(LoadRun, SourcesThatCannotUseTheirUrlAreRefusedBeforeTheRun) {
    const auto refused = [](scenario::ProducerType type, const std::string& url) {
        scenario::LoadSource s;
        s.type = type;
        s.url = url;
        scenario::Scenario sc;
        sc.source = "test";
        sc.load = one_group({s}, 1, 1s);
        try {
            LoadRun run(*sc.load, resolve_targets(sc, {}), plan_schedule(*sc.load));
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(refused(scenario::ProducerType::sse, "ws://127.0.0.1:1/").find("sse and fetch need http"), std::string::npos);
    EXPECT_NE(refused(scenario::ProducerType::ws, "http://127.0.0.1:1/").find("ws needs ws://"), std::string::npos);
    EXPECT_NE(refused(scenario::ProducerType::fetch, "http://").find("group 'g'"), std::string::npos);
    EXPECT_NE(refused(scenario::ProducerType::file, "relative.txt").find("absolute path"), std::string::npos);
    EXPECT_EQ(refused(scenario::ProducerType::file, "file:///tmp/x"), "accepted");
}

TEST(LoadRun, ShardsAddUpToTheWholeRun) {
    const auto scenario = with({producer("p", scenario::ProducerType::sse)},
                               one_group({source("p", scenario::ProducerType::sse)}, 7, 300ms));
    ProducersOnThread producers(scenario);
    const auto whole_schedule = plan_schedule(*scenario.load);
    Results merged;
    for (std::size_t i = 0; i < 3; ++i) {
        LoadRunOptions options;
        options.threads = 1;
        LoadRun run(*scenario.load, resolve_targets(scenario, producers.urls()), shard_schedule(whole_schedule, i, 3),
                    options);
        merge_results(merged, run.run());
    }
    LoadRunOptions options;
    options.threads = 1;
    LoadRun whole_run(*scenario.load, resolve_targets(scenario, producers.urls()), whole_schedule, options);
    const Results whole = whole_run.run();
    EXPECT_EQ(merged.metrics.vus_started, whole.metrics.vus_started);
    EXPECT_EQ(merged.metrics.connect_attempts, whole.metrics.connect_attempts);
    EXPECT_EQ(merged.metrics.connects, whole.metrics.connects);
    EXPECT_EQ(merged.peak_vus, whole.peak_vus);  // 3 + 2 + 2 side by side = 7
    EXPECT_EQ(merged.metrics.connect_time.count(), whole.metrics.connect_time.count());
}

}  // namespace
}  // namespace evsim::loadgen
