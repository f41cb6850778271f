#include "evsim/producers/ws_session.hpp"

#include "ws_session_shaping.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/option.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <optional>
#include <string>
#include <utility>

namespace evsim::producers {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

WsSession::WsSession(net::MaybeTlsStream stream, WsSessionOptions options, std::shared_ptr<EmitterStats> stats,
                     LogFunction log, std::string log_prefix, std::shared_ptr<const FaultPlan> faults,
                     std::uint64_t number)
    : ws_(std::move(stream)),
      options_(options),
      queue_(options.queue.max_messages, options.queue.max_bytes),
      stats_(std::move(stats)),
      log_(std::move(log)),
      log_prefix_(std::move(log_prefix)) {
    if (faults && !faults->faults.empty()) make_shaping(std::move(faults), number);
}

void WsSession::start(Request request, ConnectionSet& connections, OnOpen on_open) {
    registration_ = connections.add(shared_from_this(), ws_.get_executor());
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options_.handshake_timeout;
    timeouts.idle_timeout = options_.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(options_.max_incoming_message);
    ws_.text(!options_.binary);  // text by default, like the sample's str(...)
    if (options_.permessage_deflate) {
        websocket::permessage_deflate deflate;
        deflate.server_enable = true;
        ws_.set_option(deflate);
    }
    std::optional<std::string> agreed;
    if (options_.subprotocol && offers(request[beast::http::field::sec_websocket_protocol], *options_.subprotocol)) {
        agreed = options_.subprotocol;
    }
    ws_.set_option(websocket::stream_base::decorator([agreed](websocket::response_type& response) {
        response.set(beast::http::field::server, "evsim");
        if (agreed) response.set(beast::http::field::sec_websocket_protocol, *agreed);
    }));
    request_ = std::move(request);
    on_open_ = std::move(on_open);
    ws_.async_accept(request_, [self = shared_from_this()](const beast::error_code& error) { self->on_accept(error); });
}

void WsSession::on_accept(const beast::error_code& error) {
    request_ = {};
    if (closed_) return;
    if (error) {
        // Beast has already answered an unusable upgrade request (400 or 426) by now.
        stats_->requests_rejected.fetch_add(1, std::memory_order_relaxed);
        log_(log_prefix_ + ": WebSocket handshake failed: " + error.message());
        abort();
        return;
    }
    open_ = true;
    read();
    if (shaping_) arm_due_timer();
    if (auto on_open = std::exchange(on_open_, nullptr)) on_open(shared_from_this());
}

void WsSession::read() {
    ws_.async_read(read_buffer_, [self = shared_from_this()](const beast::error_code& error, std::size_t) {
        if (self->closed_) return;
        if (error) {
            // websocket::error::closed is the normal end: Beast has answered the client's close
            // frame. Anything else (reset, idle timeout, oversized message) ends the session too.
            self->abort();
            return;
        }
        self->read_buffer_.clear();  // clients have nothing to say to an emitter
        self->read();
    });
}

bool WsSession::offers(std::string_view offered, std::string_view protocol) {
    while (!offered.empty()) {
        const auto comma = offered.find(',');
        auto token = offered.substr(0, comma);
        while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
        while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
        if (token == protocol) return true;
        if (comma == std::string_view::npos) break;
        offered.remove_prefix(comma + 1);
    }
    return false;
}

void WsSession::deliver(const Message& message) {
    if (!open_ || closing_ || closed_) return;
    if (queue_.push(message)) {
        count(stats_->events_dropped);
        if (options_.queue.on_full == scenario::SlowConsumer::disconnect) {
            count(stats_->slow_consumers_disconnected);
            abort();
            return;
        }
    }
    ++delivered_;
    if (shaping_) count(stats_->faults_injected, shaping_->faults.on_deliver(delivered_));
    if (!busy()) write_next();
}

void WsSession::write_next() {
    if (closed_ || closing_ || busy()) return;
    if (shaped_now()) {
        write_shaped();
    } else {
        write_fast();
    }
}

void WsSession::write_fast() {
    if (queue_.empty()) return;
    in_flight_ = queue_.pop();
    ws_.async_write(asio::buffer(*in_flight_),
                    [self = shared_from_this()](const beast::error_code& error, std::size_t bytes) {
                        count(self->stats_->bytes_sent, bytes);
                        self->in_flight_.reset();
                        if (self->closed_ || self->closing_) return;
                        if (error) {
                            self->abort();
                            return;
                        }
                        ++self->written_;
                        if (self->shaping_) self->after_written();
                        self->write_next();
                    });
}

void WsSession::close() {
    if (closed_ || closing_) return;
    if (!open_) {
        abort();  // still in the handshake: nothing to close politely
        return;
    }
    closing_ = true;
    queue_.clear();
    // Beast suspends the close until a pending write finishes. The pending read receives the
    // client's answering close frame and ends the session; if the client never answers,
    // ConnectionSet's grace period aborts it.
    ws_.async_close(websocket::close_code::going_away, [self = shared_from_this()](const beast::error_code& error) {
        if (error) self->abort();
    });
}

void WsSession::abort() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    cancel_shaping();
    on_open_ = nullptr;
    ws_.next_layer().tcp().close();
}

}  // namespace evsim::producers
