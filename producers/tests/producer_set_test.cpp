// ProducerSet: shared listeners routed by path, scenario checks before anything is bound, URLs,
// totals and a stop that lets io_context::run() return.
#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "evsim/producers/listener.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;
using namespace std::chrono_literals;
using scenario::ProducerType;

const tcp::endpoint loopback_any(asio::ip::make_address("127.0.0.1"), 0);

// A port that was free a moment ago. A shared address needs a concrete port, so this is the one
// place where a test picks one; callers retry once on BindError for the tiny window in between.
std::uint16_t free_port() {
    asio::io_context io;
    tcp::acceptor acceptor(io, loopback_any);
    return acceptor.local_endpoint().port();
}

// An acceptor holding a port for the whole test: a set that tried to bind it would fail.
struct HeldPort {
    asio::io_context io;
    tcp::acceptor acceptor{io, loopback_any};
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }
};

scenario::ProducerSpec quiet(scenario::ProducerSpec spec) {
    spec.payload = payload::Counter{};
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    return spec;
}

std::unique_ptr<test::RunningSet> run_shared(scenario::ProducerSpec a, scenario::ProducerSpec b, test::LogCapture& log) {
    for (int attempt = 0;; ++attempt) {
        const auto port = free_port();
        a.port = b.port = port;
        try {
            return std::make_unique<test::RunningSet>(test::make_scenario({a, b}), test::set_options(log));
        } catch (const BindError&) {
            if (attempt == 1) throw;
        }
    }
}

TEST(ProducerSetTest, ProducersSharingAnAddressAnswerOnTheirOwnPaths) {
    test::LogCapture log;
    auto sse = quiet(test::make_spec("stream", ProducerType::sse));
    sse.paths = {"/events"};
    auto fetch = quiet(test::make_spec("poll", ProducerType::fetch));
    fetch.paths = {"/data", "/v1/data"};  // the first is the one its URL shows
    fetch.payload = payload::Constant{"polled"};
    auto running = run_shared(sse, fetch, log);
    const auto port = running->port("stream");
    EXPECT_EQ(running->port("poll"), port);
    EXPECT_EQ(running->set().urls()[0].url, "http://127.0.0.1:" + std::to_string(port) + "/events");
    EXPECT_EQ(running->set().urls()[1].url, "http://127.0.0.1:" + std::to_string(port) + "/data");

    test::Client client(port);
    const auto data = client.request(http::verb::get, "/data?x=1");  // the query does not matter
    EXPECT_EQ(data.result(), http::status::ok);
    EXPECT_EQ(data.body(), "polled");
    EXPECT_EQ(client.request(http::verb::get, "/v1/data").body(), "polled");
    const auto missing = client.request(http::verb::get, "/other");
    EXPECT_EQ(missing.result(), http::status::not_found);
    EXPECT_EQ(client.request(http::verb::get, "/").result(), http::status::not_found);
    EXPECT_EQ(client.request(http::verb::get, "/data/").result(), http::status::not_found);
    // The same keep-alive connection can then become the SSE stream.
    client.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const auto received = client.read_until([](const std::string& r) { return r.find("data: 0\n\n") != std::string::npos; });
    EXPECT_NE(received.find("Content-Type: text/event-stream\r\n"), std::string::npos) << received;
    EXPECT_NE(received.find("\r\n\r\ndata: 0\n\n"), std::string::npos) << received;
}

TEST(ProducerSetTest, SharedAddressWithWebSocketAndFetch) {
    test::LogCapture log;
    auto ws = quiet(test::make_spec("socket", ProducerType::ws));
    ws.paths = {"/ws"};
    auto fetch = quiet(test::make_spec("poll", ProducerType::fetch));
    fetch.paths = {"/poll"};
    auto running = run_shared(ws, fetch, log);
    const auto port = running->port("socket");
    EXPECT_EQ(running->set().urls()[0].url, "ws://127.0.0.1:" + std::to_string(port) + "/ws");
    test::WsClient socket(port, "/ws");
    EXPECT_EQ(socket.read(), "0");
    test::Client client(port);
    EXPECT_EQ(client.request(http::verb::get, "/poll").body(), "0");
    EXPECT_EQ(client.request(http::verb::get, "/elsewhere").result(), http::status::not_found);
    EXPECT_THROW(test::WsClient(port, "/poll"), boost::system::system_error);  // fetch does not upgrade
    socket.close();
}

TEST(ProducerSetTest, SamePathOnOneAddressIsRejectedBeforeBinding) {
    test::LogCapture log;
    HeldPort held;  // binding it would be a BindError: an invalid_argument proves nothing was bound
    auto a = quiet(test::make_spec("a", ProducerType::sse));
    auto b = quiet(test::make_spec("b", ProducerType::fetch));
    a.port = b.port = held.port();
    a.paths = b.paths = {"/same"};
    asio::io_context io;
    try {
        ProducerSet set(io, test::make_scenario({a, b}), test::set_options(log));
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("'b'"), std::string::npos) << message;
        EXPECT_NE(message.find("'a'"), std::string::npos) << message;
    }
    // One of them without a path takes every path: a conflict too.
    b.paths.clear();
    EXPECT_THROW(ProducerSet(io, test::make_scenario({a, b}), test::set_options(log)), std::invalid_argument);
    // Different paths on the held port get as far as binding it.
    b.paths = {"/other"};
    EXPECT_THROW(ProducerSet(io, test::make_scenario({a, b}), test::set_options(log)), BindError);
}

TEST(ProducerSetTest, BadGeneratorSpecNamesTheProducer) {
    test::LogCapture log;
    HeldPort held;
    auto good = quiet(test::make_spec("good", ProducerType::sse));
    good.port = held.port();  // would be a BindError if binding came first
    auto bad = quiet(test::make_spec("broken-one", ProducerType::fetch));
    bad.payload = payload::RandomInt{99, 10};
    asio::io_context io;
    try {
        ProducerSet set(io, test::make_scenario({good, bad}), test::set_options(log));
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("producer 'broken-one'"), std::string::npos) << message;
        EXPECT_NE(message.find("random_int"), std::string::npos) << message;
    }
    // The same for every producer type, and for a bad cadence.
    for (const auto type : {ProducerType::sse, ProducerType::ws, ProducerType::file}) {
        auto other = bad;
        other.type = type;
        other.file.path = "/tmp/evsim-never-written.txt";
        EXPECT_THROW(ProducerSet(io, test::make_scenario({good, other}), test::set_options(log)), std::invalid_argument);
    }
    auto slow = quiet(test::make_spec("no-cadence", ProducerType::ws));
    slow.cadence = cadence::Rate{0};
    try {
        ProducerSet set(io, test::make_scenario({good, slow}), test::set_options(log));
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("producer 'no-cadence'"), std::string::npos) << e.what();
    }
}

TEST(ProducerSetTest, UrlsInScenarioOrderWithTheirSchemes) {
    test::LogCapture log;
    test::TempDir dir;
    auto fetch = quiet(test::make_spec("f", ProducerType::fetch));
    auto ws = quiet(test::make_spec("w", ProducerType::ws));
    ws.paths = {"/socket"};
    auto file = quiet(test::make_spec("d", ProducerType::file));
    file.file.path = (dir.path() / "d.txt").string();
    auto sse = quiet(test::make_spec("s", ProducerType::sse));
    sse.paths = {"/events"};
    test::RunningSet running(test::make_scenario({fetch, ws, file, sse}), test::set_options(log));
    const auto& urls = running.set().urls();
    ASSERT_EQ(urls.size(), 4U);
    EXPECT_EQ(urls[0].producer, "f");
    EXPECT_EQ(urls[0].type, ProducerType::fetch);
    EXPECT_EQ(urls[0].url, "http://127.0.0.1:" + std::to_string(running.port("f")));
    EXPECT_EQ(urls[1].producer, "w");
    EXPECT_EQ(urls[1].type, ProducerType::ws);
    EXPECT_EQ(urls[1].url, "ws://127.0.0.1:" + std::to_string(running.port("w")) + "/socket");
    EXPECT_EQ(urls[2].producer, "d");
    EXPECT_EQ(urls[2].type, ProducerType::file);
    EXPECT_EQ(urls[2].url, "file://" + (dir.path() / "d.txt").string());
    EXPECT_EQ(urls[3].producer, "s");
    EXPECT_EQ(urls[3].url, "http://127.0.0.1:" + std::to_string(running.port("s")) + "/events");
    // Port 0: every producer got a port (and a listener) of its own.
    EXPECT_NE(running.port("f"), running.port("w"));
    EXPECT_NE(running.port("w"), running.port("s"));
    EXPECT_FALSE(running.set().endpoint("d"));
    EXPECT_FALSE(running.set().endpoint("nobody"));
    EXPECT_EQ(running.set().size(), 4U);
    EXPECT_EQ(running.set().find("nobody"), nullptr);
    ASSERT_NE(running.set().find("s"), nullptr);
    EXPECT_EQ(running.set().find("s")->spec().type, ProducerType::sse);
    // A path-less producer answers on every path.
    test::Client client(running.port("f"));
    EXPECT_EQ(client.request(http::verb::get, "/anything").result(), http::status::ok);
    // A path-ed one only on its own.
    test::Client other(running.port("s"));
    EXPECT_EQ(other.request(http::verb::get, "/nope").result(), http::status::not_found);
}

TEST(ProducerSetTest, TotalsCountEventsAndBytes) {
    test::LogCapture log;
    test::TempDir dir;
    auto sse = test::make_spec("s", ProducerType::sse);
    sse.payload = payload::Counter{};
    sse.cadence = cadence::FixedInterval{20ms};
    auto fetch = quiet(test::make_spec("f", ProducerType::fetch));
    auto file = quiet(test::make_spec("d", ProducerType::file));
    file.file.path = (dir.path() / "d.txt").string();
    test::RunningSet running(test::make_scenario({sse, fetch, file}), test::set_options(log));
    test::Client client(running.port("s"));
    client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const auto received = client.read_until([](const std::string& r) {
        std::size_t events = 0;
        for (auto at = r.find("\n\n"); at != std::string::npos; at = r.find("\n\n", at + 2)) ++events;
        return events >= 5;
    });
    ASSERT_NE(received.find("\r\n\r\n"), std::string::npos);
    // Everything the client read was counted once written; the file's bytes are counted too.
    const auto file_bytes = std::filesystem::file_size(dir.path() / "d.txt");
    ASSERT_TRUE(running.eventually([&](ProducerSet& set) { return set.totals().bytes_sent >= received.size() + file_bytes; }))
        << running.call([](ProducerSet& set) { return set.totals().bytes_sent; });
    const auto totals = running.call([](ProducerSet& set) {
        StatsSnapshot sum;
        for (auto* producer : set.producers()) sum += producer->stats();
        return std::make_pair(set.totals(), sum);
    });
    EXPECT_EQ(totals.first.events_published, totals.second.events_published);
    EXPECT_GE(totals.first.events_published, 5U + 1U + 1U);  // SSE events seen, fetch and file start emissions
    EXPECT_GE(totals.first.connections_accepted, 1U);           // counted by the listener
    EXPECT_GE(totals.first.requests_served, 1U);
    EXPECT_EQ(running.stats("f").events_published, 1U);
    EXPECT_EQ(running.stats("d").events_published, 1U);
}

TEST(ProducerSetTest, StopMakesRunReturnWithClientsConnected) {
    test::LogCapture log;
    auto sse = test::make_spec("s", ProducerType::sse);
    sse.cadence = cadence::Rate{200};
    sse.sse.keepalive = 50ms;
    auto ws = test::make_spec("w", ProducerType::ws);
    ws.cadence = cadence::Rate{200};
    ws.ws.ping = 1s;
    auto fetch = test::make_spec("f", ProducerType::fetch);
    fetch.cadence = cadence::Rate{200};
    fetch.fetch.latency = 20s;  // a response that is still waiting when the set stops
    test::RunningSet running(test::make_scenario({sse, ws, fetch}), test::set_options(log));
    test::Client stream(running.port("s"));
    stream.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    stream.read_until([](const std::string& r) { return r.find("\n\n") != std::string::npos; });
    test::WsClient socket(running.port("w"));
    socket.read();
    test::Client waiting(running.port("f"));
    waiting.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("f")->stats().requests_served == 1; }));
    ASSERT_TRUE(running.eventually([](ProducerSet& set) { return set.find("w")->clients() == 1; }));

    running.request_stop();
    // The WebSocket client gets a close frame saying the server is going away, and answers it.
    const auto error = socket.read_until_error();
    EXPECT_EQ(error, websocket::error::closed) << error.message();
    EXPECT_EQ(socket.stream().reason().code, websocket::close_code::going_away);
    EXPECT_TRUE(running.wait_stopped());  // io_context::run() returned: nothing left to wait for
    EXPECT_TRUE(stream.wait_closed());
    EXPECT_TRUE(waiting.wait_closed());
}

TEST(ProducerSetTest, StopOnAnIdleSetAndTwice) {
    test::LogCapture log;
    asio::io_context io;
    auto sse = test::make_spec("s", ProducerType::sse);
    sse.cadence = cadence::Rate{200};
    ProducerSet set(io, test::make_scenario({sse}), test::set_options(log));
    set.start();
    asio::post(io, [&] {
        set.stop();
        set.stop();
    });
    const auto ran = io.run_for(test::timeout);
    (void)ran;
    EXPECT_TRUE(io.stopped());  // out of work, not out of time
}

TEST(ProducerSetTest, AnEmptyScenarioIsRejected) {
    test::LogCapture log;
    asio::io_context io;
    EXPECT_THROW(ProducerSet(io, test::make_scenario({}), test::set_options(log)), std::invalid_argument);
}

}  // namespace
TEST(ProducerSetTest, ScenarioTimeoutsApplyToEveryListener) {
    test::LogCapture log;
    auto spec = test::make_spec("socket", scenario::ProducerType::ws);
    auto scenario = test::make_scenario({spec});
    scenario.timeouts.header = std::chrono::milliseconds(150);
    scenario.timeouts.idle = std::chrono::milliseconds(300);
    test::RunningSet running(scenario, test::set_options(log));
    // Header timeout: a client that connects and sends nothing is closed.
    test::Client silent(running.port("socket"));
    EXPECT_TRUE(silent.wait_closed());
    EXPECT_TRUE(log.wait_for("no complete request within 150 ms"));
    // Idle timeout: a WebSocket client that never answers the server's ping is dropped. The test
    // client's stream reads nothing while it is not asked to, so the ping stays unanswered.
    test::WsClient quiet(running.port("socket"));
    EXPECT_TRUE(running.eventually([](ProducerSet& set) { return set.find("socket")->clients() == 1; }));
    EXPECT_TRUE(running.eventually([](ProducerSet& set) { return set.find("socket")->clients() == 0; }));
}

}  // namespace evsim::producers
