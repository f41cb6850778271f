// Helpers for the producers tests: the emitters running on their own io_context thread, a captured
// log, and small blocking clients whose every operation has a deadline (a broken server fails a
// test, it never hangs it).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "evsim/core/scenario.hpp"
#include "evsim/producers/producer_set.hpp"
#include "evsim/producers/reference_emitters.hpp"
#include "running.hpp"

namespace evsim::producers::test {

using namespace std::chrono_literals;

// The bound on any single wait in these tests.
inline constexpr std::chrono::milliseconds timeout = 5s;

class LogCapture {
public:
    LogFunction function();
    std::vector<std::string> lines() const;
    // Waits until a line containing `text` was logged.
    bool wait_for(std::string_view text, std::chrono::milliseconds limit = timeout) const;

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<std::string> lines_;
};

// A fresh directory under the system temp directory, removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Connection-serving worker threads for the producers under test: EVSIM_TEST_WORKERS (CTest runs
// the suite once with 0, everything on one io_context, and once with 1, connections spread over
// two), default 0.
std::size_t test_workers();

// 127.0.0.1, every port 0, 50 ms interval, seed 42, the file emitter off, log into `log`,
// test_workers() workers.
ReferenceOptions test_options(LogCapture& log);

// ReferenceEmitters constructed and started on this thread, then run on an io_context thread.
class RunningEmitters : public Running<ReferenceEmitters> {
public:
    explicit RunningEmitters(ReferenceOptions options) : Running(std::move(options)) {}

    std::uint16_t fetch_port() const { return target().fetch_endpoint().value().port(); }
    std::uint16_t sse_port() const { return target().sse_endpoint().value().port(); }
    std::uint16_t ws_port() const { return target().ws_endpoint().value().port(); }
    ReferenceEmitters& emitters() { return target(); }

    using Running::call;
    bool eventually(const std::function<bool(ReferenceEmitters&)>& condition, std::chrono::milliseconds limit = timeout) {
        return Running::eventually(condition, limit);
    }
    bool stop(std::chrono::milliseconds limit = timeout) { return Running::stop(limit); }
    bool wait_stopped(std::chrono::milliseconds limit = timeout) { return Running::wait_stopped(limit); }
};

// A scenario producer for tests: `type`, 127.0.0.1 port 0, no path, the model's defaults otherwise
// (every 3 s, random_int 10..98): each test sets what it exercises.
scenario::ProducerSpec make_spec(std::string name, scenario::ProducerType type);
// A scenario of `producers` with seed 42.
scenario::Scenario make_scenario(std::vector<scenario::ProducerSpec> producers);
// Seed 42, a short shutdown grace, log into `log`, test_workers() workers.
ProducerSetOptions set_options(LogCapture& log);

// A ProducerSet built from a scenario and started on this thread (so a start-up failure throws
// here), then run on an io_context thread. Scenario ports are used as given: 0 in nearly every test.
class RunningSet : public Running<ProducerSet> {
public:
    RunningSet(const scenario::Scenario& scenario, ProducerSetOptions options) : Running(scenario, std::move(options)) {}

    // The bound port of the HTTP producer `name` (throws when it has none).
    std::uint16_t port(std::string_view name) const;
    ProducerSet& set() { return target(); }

    // Publishes an event through producer `name` on the io_context thread.
    void publish(std::string name, std::string type, std::string data,
                 measurement::DataForm form = measurement::DataForm::text);
    // A producer's counters (read on the io_context thread).
    StatsSnapshot stats(std::string name);

    using Running::call;
    bool eventually(const std::function<bool(ProducerSet&)>& condition, std::chrono::milliseconds limit = timeout) {
        return Running::eventually(condition, limit);
    }
    bool stop(std::chrono::milliseconds limit = timeout) { return Running::stop(limit); }
    bool wait_stopped(std::chrono::milliseconds limit = timeout) { return Running::wait_stopped(limit); }
};

// A client connection on its own io_context, driven from the test thread.
class Client {
public:
    explicit Client(std::uint16_t port);

    void send(std::string_view bytes);
    // Reads until `done(received)` holds, the server closes, or `limit` passes; returns everything
    // received so far (the caller checks what it needs).
    std::string read_until(const std::function<bool(const std::string&)>& done,
                           std::chrono::milliseconds limit = timeout);
    // Reads (and discards) until the server closes: true when that happened within `limit`.
    bool wait_closed(std::chrono::milliseconds limit = timeout);
    bool closed() const { return closed_; }

    // One HTTP exchange on this connection (keep-alive unless the server closes).
    boost::beast::http::response<boost::beast::http::string_body> request(
        boost::beast::http::request<boost::beast::http::string_body> request);
    boost::beast::http::response<boost::beast::http::string_body> request(boost::beast::http::verb method,
                                                                          std::string target = "/");

    boost::beast::tcp_stream& stream() { return stream_; }

private:
    boost::asio::io_context io_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::string pending_;  // bytes read past what read_until's caller consumed
    bool closed_ = false;
};

// An event-stream client: sends a GET for `target` with extra header lines (each ending in CRLF),
// keeps the response head, then reads the body as it comes.
class StreamListener {
public:
    StreamListener(std::uint16_t port, const std::string& target, const std::string& headers = "");
    // The body so far, once it contains `text` (or when the limit passes).
    std::string body_until(const std::string& text, std::chrono::milliseconds limit = timeout);
    bool wait_closed() { return client_.wait_closed(); }
    std::string head;

private:
    Client client_;
    std::size_t consumed_ = 0;
};

// A WebSocket client with bounded handshake, reads and close.
class WsClient {
public:
    using Stream = boost::beast::websocket::stream<boost::beast::tcp_stream>;
    // Throws boost::system::system_error when the handshake fails. `configure` runs before the
    // handshake (stream options, a decorator for the upgrade request).
    WsClient(std::uint16_t port, std::string target = "/", const std::function<void(Stream&)>& configure = {});

    // The server's answer to the upgrade (101 and its headers).
    const boost::beast::websocket::response_type& handshake_response() const { return response_; }

    std::string read();  // one message; throws on error or timeout
    // Reads until the connection ends; returns the error that ended it.
    boost::beast::error_code read_until_error();
    void close();  // normal close: waits for the server's answer; throws on error
    boost::beast::websocket::stream<boost::beast::tcp_stream>& stream() { return ws_; }
    boost::asio::io_context& io() { return io_; }

private:
    void run_until(const bool& done);

    boost::asio::io_context io_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    boost::beast::websocket::response_type response_;
};

// "GET target HTTP/1.1" with Host, for the given method.
boost::beast::http::request<boost::beast::http::string_body> make_request(boost::beast::http::verb method,
                                                                          std::string target = "/");

// True when `text` is a sample value: two digits, 10..98.
bool is_sample_value(std::string_view text);

}  // namespace evsim::producers::test
