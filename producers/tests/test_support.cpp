#include "test_support.hpp"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>

namespace evsim::producers::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;

LogFunction LogCapture::function() {
    return [this](std::string_view line) {
        {
            std::lock_guard lock(mutex_);
            lines_.emplace_back(line);
        }
        changed_.notify_all();
    };
}

std::vector<std::string> LogCapture::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

bool LogCapture::wait_for(std::string_view text, std::chrono::milliseconds limit) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] {
        for (const auto& line : lines_) {
            if (line.find(text) != std::string::npos) return true;
        }
        return false;
    });
}

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("evsim-producers-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

ReferenceOptions test_options(LogCapture& log) {
    ReferenceOptions options;
    options.host = "127.0.0.1";
    options.interval = 50ms;
    options.seed = 42;
    options.fetch.port = 0;
    options.sse.port = 0;
    options.ws.port = 0;
    options.file.enabled = false;
    options.workers = test_workers();
    options.shutdown_grace = 500ms;
    options.log = log.function();
    return options;
}

scenario::ProducerSpec make_spec(std::string name, scenario::ProducerType type) {
    scenario::ProducerSpec spec;
    spec.name = std::move(name);
    spec.type = type;
    spec.host = "127.0.0.1";
    spec.port = 0;
    return spec;
}

scenario::Scenario make_scenario(std::vector<scenario::ProducerSpec> producers) {
    scenario::Scenario scenario;
    scenario.source = "test";
    scenario.seed = 42;
    scenario.producers = std::move(producers);
    return scenario;
}

std::size_t test_workers() {
    const char* text = std::getenv("EVSIM_TEST_WORKERS");
    return text ? static_cast<std::size_t>(std::strtoul(text, nullptr, 10)) : 0;
}

ProducerSetOptions set_options(LogCapture& log) {
    ProducerSetOptions options;
    options.workers = test_workers();
    options.seed = 42;
    options.shutdown_grace = 500ms;
    options.log = log.function();
    return options;
}

std::uint16_t RunningSet::port(std::string_view name) const {
    const auto endpoint = target().endpoint(name);
    if (!endpoint) throw std::invalid_argument("no HTTP producer named " + std::string(name));
    return endpoint->port();
}

void RunningSet::publish(std::string name, std::string type, std::string data, measurement::DataForm form) {
    call([&](ProducerSet& set) {
        auto* producer = set.find(name);
        if (!producer) throw std::invalid_argument("no producer named " + name);
        producer->publish(type, data, form);
        return true;
    });
}

StatsSnapshot RunningSet::stats(std::string name) {
    return call([&](ProducerSet& set) {
        auto* producer = set.find(name);
        if (!producer) throw std::invalid_argument("no producer named " + name);
        return producer->stats();
    });
}


Client::Client(std::uint16_t port) : stream_(io_) {
    beast::error_code error;
    stream_.expires_after(timeout);
    stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                          [&](const beast::error_code& e) { error = e; });
    io_.run();
    if (error) throw boost::system::system_error(error, "connect");
}

void Client::send(std::string_view bytes) {
    beast::error_code error;
    stream_.expires_after(timeout);
    asio::async_write(stream_, asio::buffer(bytes), [&](const beast::error_code& e, std::size_t) { error = e; });
    io_.restart();
    io_.run();
    if (error) throw boost::system::system_error(error, "send");
}

std::string Client::read_until(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!closed_ && !done(pending_) && std::chrono::steady_clock::now() < deadline) {
        std::array<char, 4096> chunk{};
        beast::error_code error;
        std::size_t received = 0;
        stream_.expires_at(deadline);
        stream_.async_read_some(asio::buffer(chunk), [&](const beast::error_code& e, std::size_t n) {
            error = e;
            received = n;
        });
        io_.restart();
        io_.run();
        pending_.append(chunk.data(), received);
        if (error == asio::error::eof || error == asio::error::connection_reset) closed_ = true;
        if (error) break;
    }
    return pending_;
}

bool Client::wait_closed(std::chrono::milliseconds limit) {
    read_until([](const std::string&) { return false; }, limit);
    return closed_;
}

http::response<http::string_body> Client::request(http::request<http::string_body> request) {
    beast::error_code error;
    request.prepare_payload();
    stream_.expires_after(timeout);
    http::async_write(stream_, request, [&](const beast::error_code& e, std::size_t) { error = e; });
    io_.restart();
    io_.run();
    if (error) throw boost::system::system_error(error, "write request");
    http::response_parser<http::string_body> parser;
    parser.skip(request.method() == http::verb::head);  // a HEAD response has no body whatever it says
    stream_.expires_after(timeout);
    http::async_read(stream_, buffer_, parser, [&](const beast::error_code& e, std::size_t) { error = e; });
    io_.restart();
    io_.run();
    if (error) throw boost::system::system_error(error, "read response");
    return parser.release();
}

http::response<http::string_body> Client::request(http::verb method, std::string target) {
    return request(make_request(method, std::move(target)));
}

StreamListener::StreamListener(std::uint16_t port, const std::string& target, const std::string& headers)
    : client_(port) {
    client_.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
    head = client_.read_until([](const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; });
    const auto end = head.find("\r\n\r\n");
    consumed_ = end == std::string::npos ? head.size() : end + 4;
    head.resize(consumed_);
}

std::string StreamListener::body_until(const std::string& text, std::chrono::milliseconds limit) {
    return client_.read_until([&](const std::string& r) { return r.find(text, consumed_) != std::string::npos; }, limit)
        .substr(consumed_);
}

WsClient::WsClient(std::uint16_t port, std::string target, const std::function<void(Stream&)>& configure)
    : ws_(io_) {
    beast::error_code error;
    auto& lowest = beast::get_lowest_layer(ws_);
    lowest.expires_after(timeout);
    lowest.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                         [&](const beast::error_code& e) { error = e; });
    io_.run();
    if (error) throw boost::system::system_error(error, "connect");
    lowest.expires_never();  // from here the websocket's own timeouts apply
    bool done = false;
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = timeout;
    timeouts.idle_timeout = timeout;
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    if (configure) configure(ws_);
    ws_.async_handshake(response_, "127.0.0.1:" + std::to_string(port), target, [&](const beast::error_code& e) {
        error = e;
        done = true;
    });
    run_until(done);
    if (error) throw boost::system::system_error(error, "handshake");
}

std::string WsClient::read() {
    beast::error_code error;
    bool done = false;
    buffer_.clear();
    ws_.async_read(buffer_, [&](const beast::error_code& e, std::size_t) {
        error = e;
        done = true;
    });
    run_until(done);
    if (error) throw boost::system::system_error(error, "read");
    return beast::buffers_to_string(buffer_.data());
}

beast::error_code WsClient::read_until_error() {
    // Messages keep coming while the server runs: bound the whole wait, not just each read.
    asio::steady_timer deadline(io_, timeout);
    deadline.async_wait([this](const beast::error_code& e) {
        if (!e) beast::get_lowest_layer(ws_).close();
    });
    beast::error_code error;
    bool done = false;
    std::function<void()> read_next = [&] {
        buffer_.clear();
        ws_.async_read(buffer_, [&](const beast::error_code& e, std::size_t) {
            if (e) {
                error = e;
                done = true;
                deadline.cancel();
            } else {
                read_next();
            }
        });
    };
    read_next();
    run_until(done);
    return error;
}

void WsClient::close() {
    beast::error_code error;
    bool done = false;
    ws_.async_close(websocket::close_code::normal, [&](const beast::error_code& e) {
        error = e;
        done = true;
    });
    run_until(done);
    if (error) throw boost::system::system_error(error, "close");
}

void WsClient::run_until(const bool& done) {
    // Not io_context::run(): Beast keeps its idle timer armed between operations, so the context
    // is never out of work while the stream is open.
    io_.restart();
    while (!done && io_.run_one() > 0) {
    }
}

http::request<http::string_body> make_request(http::verb method, std::string target) {
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    return request;
}

bool is_sample_value(std::string_view text) {
    if (text.size() != 2 || text[0] < '1' || text[0] > '9' || text[1] < '0' || text[1] > '9') return false;
    return text != "99";
}

}  // namespace evsim::producers::test
