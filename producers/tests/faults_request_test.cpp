// Request faults (status, redirect, content_type) on SSE stream requests, WebSocket upgrades and
// fetch requests, with `every`, `after` and `at` triggers; and FILE producers' torn_write, seen by a
// reader polling the file. Real servers on 127.0.0.1 port 0.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "evsim/core/file_format.hpp"
#include "faults_test_support.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using faults::Kind;
using faults_test::after;
using faults_test::Clock;
using faults_test::every;
using faults_test::make_fault;
using faults_test::RawClient;
using scenario::ProducerType;

scenario::ProducerSpec spec_of(ProducerType type, std::string name, std::vector<faults::FaultSpec> faults) {
    auto spec = test::make_spec(std::move(name), type);
    spec.payload = payload::Counter{1000, 1};
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    spec.faults = std::move(faults);
    return spec;
}

// The header of the answer to one raw request on a new connection.
std::string header_of(std::uint16_t port, const std::string& request) {
    RawClient client(port);
    client.send(request);
    EXPECT_TRUE(client.read_until(faults_test::header_complete)) << client.received();
    return client.received().substr(0, faults_test::body_offset(client.received()));
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// ---- SSE ---------------------------------------------------------------------------------------

TEST(FaultsRequestTest, SseStatusEverySecondRequest) {
    test::LogCapture log;
    test::RunningSet running(
        test::make_scenario({spec_of(ProducerType::sse, "stream", {make_fault(Kind::status, every(2), "sse")})}),
        test::set_options(log));
    for (int i = 1; i <= 4; ++i) {
        const auto header = header_of(running.port("stream"), faults_test::sse_request());
        if (i % 2 == 0) {
            EXPECT_EQ(header.substr(0, 13), "HTTP/1.1 503 ") << i << ": " << header;
            EXPECT_FALSE(contains(header, "text/event-stream")) << header;
        } else {
            EXPECT_EQ(header.substr(0, 13), "HTTP/1.1 200 ") << i << ": " << header;
            EXPECT_TRUE(contains(header, "Content-Type: text/event-stream\r\n")) << header;
        }
    }
    EXPECT_EQ(running.stats("stream").faults_injected, 2U);
    // Request 5 is a stream again; the whole of 6 is a short text body saying it is a fault.
    EXPECT_EQ(header_of(running.port("stream"), faults_test::sse_request()).substr(0, 13), "HTTP/1.1 200 ");
    auto request = test::make_request(http::verb::get);
    request.set(http::field::accept, "text/event-stream");
    const auto answer = test::Client(running.port("stream")).request(std::move(request));
    EXPECT_EQ(answer.result(), http::status::service_unavailable);
    EXPECT_TRUE(contains(answer.body(), "evsim fault")) << answer.body();
}

TEST(FaultsRequestTest, SseStatus204TellsEventSourceToStop) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({spec_of(ProducerType::sse, "stream",
                                                          {make_fault(Kind::status, after(1), "sse",
                                                                      [](auto& f) { f.status = 204; })})}),
                             test::set_options(log));
    RawClient client(running.port("stream"));
    client.send(faults_test::sse_request());
    ASSERT_TRUE(client.read_until(faults_test::header_complete));
    const auto& received = client.received();
    EXPECT_EQ(received.substr(0, 13), "HTTP/1.1 204 ") << received;
    EXPECT_FALSE(contains(received, "Content-Length: ")) << "204 has no body: " << received;
    EXPECT_EQ(header_of(running.port("stream"), faults_test::sse_request()).substr(0, 13), "HTTP/1.1 200 ");
}

TEST(FaultsRequestTest, SseRedirectAnswersWithLocation) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({spec_of(ProducerType::sse, "stream",
                                                          {make_fault(Kind::redirect, after(1), "sse", [](auto& f) {
                                                              f.status = 307;
                                                              f.location = "/elsewhere";
                                                          })})}),
                             test::set_options(log));
    const auto header = header_of(running.port("stream"), faults_test::sse_request());
    EXPECT_EQ(header.substr(0, 13), "HTTP/1.1 307 ") << header;
    EXPECT_TRUE(contains(header, "Location: /elsewhere\r\n")) << header;
    EXPECT_EQ(header_of(running.port("stream"), faults_test::sse_request()).substr(0, 13), "HTTP/1.1 200 ");
}

TEST(FaultsRequestTest, SseContentTypeSendsTheStreamWithTheWrongType) {
    test::LogCapture log;
    test::RunningSet running(
        test::make_scenario({spec_of(ProducerType::sse, "stream", {make_fault(Kind::content_type, after(1), "sse")})}),
        test::set_options(log));
    RawClient client(running.port("stream"));
    client.send(faults_test::sse_request());
    ASSERT_TRUE(client.read_until([](const std::string& r) { return faults_test::sse_events(r).size() >= 1; }));
    const auto& received = client.received();
    const auto header = received.substr(0, faults_test::body_offset(received));
    EXPECT_EQ(header.substr(0, 13), "HTTP/1.1 200 ") << header;
    EXPECT_TRUE(contains(header, "Content-Type: text/plain\r\n")) << header;
    EXPECT_FALSE(contains(header, "text/event-stream")) << header;
    EXPECT_EQ(faults_test::sse_events(received).front().data, "1000");
    EXPECT_EQ(running.stats("stream").faults_injected, 1U);
    // The next stream is a normal one.
    EXPECT_TRUE(contains(header_of(running.port("stream"), faults_test::sse_request()),
                         "Content-Type: text/event-stream\r\n"));
}

TEST(FaultsRequestTest, SseStatusAtAnswersTheFirstRequestAfterTheTime) {
    test::LogCapture log;
    const auto started = Clock::now();
    test::RunningSet running(test::make_scenario({spec_of(ProducerType::sse, "stream",
                                                          {make_fault(Kind::status, faults_test::at(200ms), "sse")})}),
                             test::set_options(log));
    EXPECT_EQ(header_of(running.port("stream"), faults_test::sse_request()).substr(0, 13), "HTTP/1.1 200 ");
    std::string header;
    const auto deadline = Clock::now() + test::timeout;
    while (Clock::now() < deadline) {
        header = header_of(running.port("stream"), faults_test::sse_request());
        if (header.substr(0, 13) != "HTTP/1.1 200 ") break;
        std::this_thread::sleep_for(10ms);  // re-check interval, not synchronisation
    }
    EXPECT_EQ(header.substr(0, 13), "HTTP/1.1 503 ") << header;
    EXPECT_GE(Clock::now() - started, 200ms);
    EXPECT_EQ(header_of(running.port("stream"), faults_test::sse_request()).substr(0, 13), "HTTP/1.1 200 ") << "once";
}

// ---- WebSocket ---------------------------------------------------------------------------------

TEST(FaultsRequestTest, WsUpgradeAnswered503EverySecondRequest) {
    test::LogCapture log;
    test::RunningSet running(
        test::make_scenario({spec_of(ProducerType::ws, "ws", {make_fault(Kind::status, every(2), "ws")})}),
        test::set_options(log));
    EXPECT_EQ(header_of(running.port("ws"), faults_test::ws_upgrade_request()).substr(0, 13), "HTTP/1.1 101 ");
    const auto refused = header_of(running.port("ws"), faults_test::ws_upgrade_request());
    EXPECT_EQ(refused.substr(0, 13), "HTTP/1.1 503 ") << refused;
    EXPECT_FALSE(contains(refused, "Upgrade")) << refused;
    EXPECT_NO_THROW(test::WsClient client(running.port("ws")));  // request 3
    EXPECT_THROW(test::WsClient client(running.port("ws")), boost::system::system_error);  // request 4
    EXPECT_EQ(running.stats("ws").faults_injected, 2U);
}

TEST(FaultsRequestTest, WsUpgradeRedirected) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({spec_of(ProducerType::ws, "ws",
                                                          {make_fault(Kind::redirect, after(1), "ws", [](auto& f) {
                                                              f.status = 302;
                                                              f.location = "/other";
                                                          })})}),
                             test::set_options(log));
    const auto header = header_of(running.port("ws"), faults_test::ws_upgrade_request());
    EXPECT_EQ(header.substr(0, 13), "HTTP/1.1 302 ") << header;
    EXPECT_TRUE(contains(header, "Location: /other\r\n")) << header;
}

// ---- fetch -------------------------------------------------------------------------------------

http::response<http::string_body> get(std::uint16_t port) { return test::Client(port).request(http::verb::get); }

TEST(FaultsRequestTest, FetchStatusRedirectAndContentType) {
    test::LogCapture log;
    test::RunningSet running(
        test::make_scenario(
            {spec_of(ProducerType::fetch, "status", {make_fault(Kind::status, every(2), "fetch")}),
             spec_of(ProducerType::fetch, "redirect", {make_fault(Kind::redirect, every(2), "fetch", [](auto& f) {
                         f.status = 308;
                         f.location = "/moved";
                     })}),
             spec_of(ProducerType::fetch, "type", {make_fault(Kind::content_type, after(2), "fetch",
                                                               [](auto& f) { f.content_type = "application/xml"; })})}),
        test::set_options(log));
    for (int i = 1; i <= 4; ++i) {
        const auto answer = get(running.port("status"));
        EXPECT_EQ(answer.result(), i % 2 == 0 ? http::status::service_unavailable : http::status::ok) << i;
        if (i % 2 == 0) {
            EXPECT_TRUE(contains(answer.body(), "evsim fault")) << answer.body();
        }
    }
    for (int i = 1; i <= 4; ++i) {
        const auto answer = get(running.port("redirect"));
        if (i % 2 == 0) {
            EXPECT_EQ(answer.result(), http::status::permanent_redirect) << i;
            EXPECT_EQ(answer[http::field::location], "/moved");
        } else {
            EXPECT_EQ(answer.result(), http::status::ok) << i;
            EXPECT_EQ(answer.count(http::field::location), 0U);
        }
    }
    const auto normal = get(running.port("type"));
    const auto wrong = get(running.port("type"));
    const auto again = get(running.port("type"));
    EXPECT_EQ(wrong.result(), http::status::ok);
    EXPECT_EQ(wrong[http::field::content_type], "application/xml");
    EXPECT_EQ(wrong.body(), normal.body()) << "the normal answer, only the type is wrong";
    EXPECT_NE(normal[http::field::content_type], "application/xml");
    EXPECT_EQ(again[http::field::content_type], normal[http::field::content_type]);
    EXPECT_EQ(running.stats("status").faults_injected, 2U);
    EXPECT_EQ(running.stats("redirect").faults_injected, 2U);
    EXPECT_EQ(running.stats("type").faults_injected, 1U);
}

TEST(FaultsRequestTest, FetchAtAnswersTheFirstRequestAfterTheTime) {
    test::LogCapture log;
    const auto started = Clock::now();
    test::RunningSet running(test::make_scenario({spec_of(ProducerType::fetch, "api",
                                                          {make_fault(Kind::status, faults_test::at(200ms), "fetch",
                                                                      [](auto& f) { f.status = 500; })})}),
                             test::set_options(log));
    EXPECT_EQ(get(running.port("api")).result(), http::status::ok);
    http::status status = http::status::ok;
    const auto deadline = Clock::now() + test::timeout;
    while (Clock::now() < deadline) {
        status = get(running.port("api")).result();
        if (status != http::status::ok) break;
        std::this_thread::sleep_for(10ms);  // re-check interval, not synchronisation
    }
    EXPECT_EQ(status, http::status::internal_server_error);
    EXPECT_GE(Clock::now() - started, 200ms);
    EXPECT_EQ(get(running.port("api")).result(), http::status::ok) << "once";
    EXPECT_EQ(running.stats("api").faults_injected, 1U);
}

// ---- FILE torn_write ---------------------------------------------------------------------------

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

class FaultsTornWriteTest : public ::testing::TestWithParam<bool> {};

TEST_P(FaultsTornWriteTest, AReaderSeesHalfARecordForTheDurationThenTheWholeOne) {
    test::LogCapture log;
    test::TempDir dir;
    const auto path = dir.path() / "readings.txt";
    const auto duration = 300ms;
    auto spec = spec_of(ProducerType::file, "file",
                        {make_fault(Kind::torn_write, after(3), "file", [&](auto& f) { f.duration = duration; })});
    spec.events = {"temperature"};
    spec.cadence = cadence::Rate{20};
    spec.file.path = path.string();
    spec.file.atomic = GetParam();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));

    // Poll the file: note when a torn version first shows and the first whole one after it.
    std::string torn;
    std::string whole_after;
    Clock::time_point torn_at;
    Clock::time_point whole_at;
    const auto deadline = Clock::now() + test::timeout;
    while (Clock::now() < deadline && whole_after.empty()) {
        const auto content = read_file(path);
        const auto now = Clock::now();
        const bool whole = !content.empty() && file_format::parse(content).ok();
        if (torn.empty() && !content.empty() && !whole) {
            torn = content;
            torn_at = now;
        } else if (!torn.empty() && whole) {
            whole_after = content;
            whole_at = now;
        } else if (!torn.empty() && !content.empty()) {  // empty: caught between truncating and writing
            EXPECT_EQ(content, torn) << "the torn version changed";
        }
        std::this_thread::sleep_for(1ms);  // polling interval, as a reader would
    }
    ASSERT_FALSE(torn.empty()) << "never saw a torn file";
    ASSERT_FALSE(whole_after.empty()) << "the file stayed torn: " << torn;
    EXPECT_GE(whole_at - torn_at, duration - 50ms);
    // The torn version is the first half of the whole record written after it.
    EXPECT_EQ(whole_after.substr(0, torn.size()), torn) << whole_after;
    EXPECT_EQ(torn.size(), whole_after.size() / 2) << torn << " / " << whole_after;
    const auto records = file_format::parse(whole_after).records;
    ASSERT_EQ(records.size(), 1U);
    EXPECT_EQ(records[0].event, "temperature");
    EXPECT_EQ(running.stats("file").faults_injected, 1U);
}

INSTANTIATE_TEST_SUITE_P(Atomic, FaultsTornWriteTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param_info) { return param_info.param ? "atomic" : "in_place"; });

}  // namespace
}  // namespace evsim::producers
