#include "ws_subscriber.hpp"

#include <chrono>

namespace evsim::bench::fanout {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {
constexpr auto connect_timeout = std::chrono::seconds(30);
// The reference emitters send two-digit numbers; anything near this size is not what we measure.
constexpr std::size_t max_message = 64 * 1024;
}  // namespace

WsSubscriber::WsSubscriber(asio::io_context& io, const Target& target, Tally& tally)
    : target_(target), tally_(tally), ws_(io) {}

void WsSubscriber::start() {
    ++tally_.started;
    auto& tcp = beast::get_lowest_layer(ws_);
    tcp.expires_after(connect_timeout);
    tcp.async_connect(target_.endpoint, [self = shared_from_this()](const boost::system::error_code& error) {
        self->on_connect(error);
    });
}

void WsSubscriber::stop() {
    // No close handshake: thousands of them would measure the server's close path, not fan-out.
    stopped_ = true;
    beast::get_lowest_layer(ws_).close();
}

void WsSubscriber::on_connect(const boost::system::error_code& error) {
    if (stopped_) return;
    if (error) {
        fail(Stage::connect, describe("connect", error));
        return;
    }
    // The websocket stream has its own handshake timeout (suggested client settings: 30 s, and no
    // pings of our own, so the server's idle handling is what a browser would see).
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.read_message_max(max_message);
    ws_.async_handshake(target_.host_header, target_.path,
                        [self = shared_from_this()](const boost::system::error_code& e) { self->on_handshake(e); });
}

void WsSubscriber::on_handshake(const boost::system::error_code& error) {
    if (stopped_) return;
    if (error) {
        fail(Stage::handshake, describe("upgrade", error));
        return;
    }
    established_ = true;
    ++tally_.established;
    ++tally_.concluded;
    read();
}

void WsSubscriber::read() {
    ws_.async_read(buffer_, [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
        if (self->stopped_) return;
        if (error) {
            self->fail(Stage::stream, describe("stream", error));
            return;
        }
        ++self->events_;
        self->buffer_.clear();
        self->read();
    });
}

void WsSubscriber::fail(Stage stage, const std::string& what) {
    tally_.fail(stage, what);
    stopped_ = true;
    beast::get_lowest_layer(ws_).close();
}

}  // namespace evsim::bench::fanout
