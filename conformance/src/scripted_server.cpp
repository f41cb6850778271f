#include "evsim/conformance/scripted_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/string_body.hpp>
#include <algorithm>
#include <array>
#include <list>

namespace evsim::conformance {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

struct Connection {
    explicit Connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
    tcp::socket socket;
    asio::steady_timer timer;
};

bool is_harness_path(std::string_view target) {
    return target.starts_with(kHarnessPrefix) || target == "/favicon.ico";
}

}  // namespace

std::string make_head(int status, const std::vector<std::pair<std::string, std::string>>& headers) {
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " +
                       std::string(http::obsolete_reason(static_cast<http::status>(status))) + "\r\n";
    for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
    head += "Connection: close\r\n\r\n";
    return head;
}

std::string event_stream_head() {
    return make_head(200, {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}});
}

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
        if (iequals(n, name)) return v;
    }
    return std::nullopt;
}

struct ScriptedServer::State : std::enable_shared_from_this<State> {
    State(asio::io_context& io, std::vector<ScriptedResponse> s, HarnessHandler h)
        : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          port(acceptor.local_endpoint().port()),
          script(std::move(s)),
          harness(std::move(h)) {}

    asio::awaitable<void> accept_loop();
    asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
    asio::awaitable<void> serve_harness(std::shared_ptr<Connection> connection, beast::flat_buffer& buffer,
                                        http::request_parser<http::empty_body>& header);
    asio::awaitable<void> play(Connection& connection, const ScriptedResponse& response);
    void stop_now();

    tcp::acceptor acceptor;
    const std::uint16_t port;  // read from any thread
    std::vector<ScriptedResponse> script;
    HarnessHandler harness;
    std::list<std::weak_ptr<Connection>> live;
    bool stopped = false;


    mutable std::mutex mutex;
    mutable std::condition_variable changed;  // a request recorded, a response begun or ended
    std::vector<RecordedRequest> recorded;
    std::size_t playing = 0;  // scripted responses in progress
    std::size_t max_playing = 0;
};

asio::awaitable<void> ScriptedServer::State::accept_loop() {
    auto self = shared_from_this();
    while (!stopped) {
        auto [ec, socket] = co_await acceptor.async_accept(kAwait);
        if (ec) co_return;
        auto connection = std::make_shared<Connection>(std::move(socket));
        live.remove_if([](const auto& weak) { return weak.expired(); });
        live.push_back(connection);
        asio::co_spawn(acceptor.get_executor(), serve(connection), asio::detached);
    }
}

asio::awaitable<void> ScriptedServer::State::serve(std::shared_ptr<Connection> connection) {
    auto self = shared_from_this();
    beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(64 * 1024);
    // A body is read only for harness requests, which set their own limit (the default would end
    // the header read itself on a long Content-Length).
    parser.body_limit(boost::none);
    if (auto [ec, n] = co_await http::async_read_header(connection->socket, buffer, parser, kAwait); ec) co_return;
    if (is_harness_path(parser.get().target())) {
        co_await serve_harness(connection, buffer, parser);
        co_return;
    }

    RecordedRequest request;
    request.method = std::string(parser.get().method_string());
    request.target = std::string(parser.get().target());
    for (const auto& field : parser.get()) request.headers.emplace_back(field.name_string(), field.value());
    request.received_at = std::chrono::steady_clock::now();
    std::size_t index = 0;
    {
        std::lock_guard lock(mutex);
        index = recorded.size();
        request.connection = index;
        recorded.push_back(std::move(request));
    }
    changed.notify_all();

    if (script.empty()) co_return;
    {
        std::lock_guard lock(mutex);
        max_playing = std::max(max_playing, ++playing);
    }
    changed.notify_all();
    co_await play(*connection, script[std::min(index, script.size() - 1)]);
    {
        std::lock_guard lock(mutex);
        --playing;
    }
    changed.notify_all();
}

asio::awaitable<void> ScriptedServer::State::serve_harness(std::shared_ptr<Connection> connection,
                                                           beast::flat_buffer& buffer,
                                                           http::request_parser<http::empty_body>& header) {
    HarnessRequest request;
    request.method = std::string(header.get().method_string());
    request.target = std::string(header.get().target());
    for (const auto& field : header.get()) request.headers.emplace_back(field.name_string(), field.value());
    const auto length = header.content_length();
    http::request_parser<http::string_body> parser(std::move(header));
    parser.body_limit(kMaxHarnessBody);  // for a chunked body
    if (length && *length > kMaxHarnessBody) {
        request.too_large = true;
    } else if (!parser.is_done()) {
        auto [ec, n] = co_await http::async_read(connection->socket, buffer, parser, kAwait);
        if (ec == http::error::body_limit) request.too_large = true;
        else if (ec) co_return;
    }
    if (!request.too_large) request.body = std::move(parser.get().body());
    // Without a handler: 413 for a body too long, 404 for anything else.
    const ScriptedResponse response =
        harness ? harness(request)
                : ScriptedResponse{make_head(request.too_large ? 413 : 404, {{"Content-Length", "0"}}), {}, Ending::close};
    co_await play(*connection, response);
}

asio::awaitable<void> ScriptedServer::State::play(Connection& connection, const ScriptedResponse& response) {
    if (auto [ec, n] = co_await asio::async_write(connection.socket, asio::buffer(response.head), kAwait); ec) {
        co_return;
    }
    // Pieces keep their schedule: each is due its delay after the previous one was due, not after
    // the previous write finished, so timer overshoot does not add up (a throughput case gets its rate).
    auto due = asio::steady_timer::clock_type::now();
    for (const BodyPiece& piece : response.body) {
        if (piece.delay.count() > 0) {
            due += piece.delay;
            connection.timer.expires_at(due);
            if (auto [ec] = co_await connection.timer.async_wait(kAwait); ec || stopped) co_return;
        }
        if (auto [ec, n] = co_await asio::async_write(connection.socket, asio::buffer(piece.bytes), kAwait); ec) {
            co_return;
        }
    }
    boost::system::error_code ignored;
    switch (response.ending) {
        case Ending::close:
            connection.socket.shutdown(tcp::socket::shutdown_send, ignored);
            connection.socket.close(ignored);
            break;
        case Ending::reset:
            connection.socket.set_option(asio::socket_base::linger(true, 0), ignored);
            connection.socket.close(ignored);
            break;
        case Ending::hang: {
            // Held until the server stops or the client goes: reading (and dropping) what the
            // client sends shows when it closes, so a stream it gave up on stops counting as open.
            std::array<char, 4096> ignored_bytes;
            for (;;) {
                auto [ec, n] = co_await connection.socket.async_read_some(asio::buffer(ignored_bytes), kAwait);
                if (ec || stopped) break;
            }
            break;
        }
    }
}

void ScriptedServer::State::stop_now() {
    if (stopped) return;
    stopped = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    for (const auto& weak : live) {
        if (auto connection = weak.lock()) {
            connection->socket.close(ignored);
            connection->timer.cancel();
        }
    }
}

ScriptedServer::ScriptedServer(asio::io_context& io, std::vector<ScriptedResponse> script, HarnessHandler harness)
    : state_(std::make_shared<State>(io, std::move(script), std::move(harness))) {
    asio::co_spawn(io, state_->accept_loop(), asio::detached);
}

ScriptedServer::~ScriptedServer() { stop(); }

std::uint16_t ScriptedServer::port() const { return state_->port; }

std::string ScriptedServer::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
}

std::vector<RecordedRequest> ScriptedServer::requests() const {
    std::lock_guard lock(state_->mutex);
    return state_->recorded;
}

bool ScriptedServer::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [&] { return state_->recorded.size() >= count; });
}

std::size_t ScriptedServer::max_concurrent() const {
    std::lock_guard lock(state_->mutex);
    return state_->max_playing;
}

bool ScriptedServer::wait_for_concurrent(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [&] { return state_->playing == count; });
}

void ScriptedServer::stop() {
    asio::dispatch(state_->acceptor.get_executor(), [state = state_] { state->stop_now(); });
}

}  // namespace evsim::conformance
