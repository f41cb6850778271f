#include "evsim/producers/ws_session.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/field.hpp>
#include <string>
#include <utility>

#include "evsim/core/utf8.hpp"
#include "evsim/core/ws_frame.hpp"
#include "evsim/core/ws_handshake.hpp"
#include "ws_session_shaping.hpp"

namespace evsim::producers {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

std::optional<UpgradeProblem> check_upgrade(const Request& request) {
    if (request[http::field::sec_websocket_version] != ws::protocol_version) {
        return UpgradeProblem{true, "this server speaks WebSocket version 13 only (Sec-WebSocket-Version)"};
    }
    if (!ws::is_valid_client_key(request[http::field::sec_websocket_key])) {
        return UpgradeProblem{false, "Sec-WebSocket-Key must be the base64 encoding of 16 bytes"};
    }
    return std::nullopt;
}

WsSession::WsSession(net::MaybeTlsStream stream, WsSessionOptions options, std::shared_ptr<EmitterStats> stats,
                     LogFunction log, std::string log_prefix, std::shared_ptr<const FaultPlan> faults,
                     std::uint64_t number)
    : stream_(std::move(stream)),
      options_(std::move(options)),
      queue_(options_.queue.max_messages, options_.queue.max_bytes),
      stats_(std::move(stats)),
      log_(std::move(log)),
      log_prefix_(std::move(log_prefix)),
      reader_(ws::Peer::client, ws::ReaderLimits{options_.max_incoming_message}),
      idle_timer_(stream_.get_executor()) {
    if (faults && !faults->faults.empty()) make_shaping(std::move(faults), number);
}

bool WsSession::offers(std::string_view offered, std::string_view protocol) {
    return ws::list_contains(offered, protocol, true);
}

void WsSession::start(const Request& request, ConnectionSet& connections, OnOpen on_open) {
    registration_ = connections.add(shared_from_this(), stream_.get_executor());
    on_open_ = std::move(on_open);
    out_ = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
    out_ += ws::accept_key(request[http::field::sec_websocket_key]);
    out_ += "\r\nServer: evsim\r\n";
    if (options_.subprotocol && offers(request[http::field::sec_websocket_protocol], *options_.subprotocol)) {
        out_ += "Sec-WebSocket-Protocol: " + *options_.subprotocol + "\r\n";
    }
    if (options_.permessage_deflate) {
        if (auto agreed = ws::negotiate_deflate(request[http::field::sec_websocket_extensions])) {
            out_ += "Sec-WebSocket-Extensions: " + agreed->response + "\r\n";
            deflater_.emplace(agreed->server_max_window_bits);
            inflater_.emplace(!agreed->client_no_context_takeover, options_.max_incoming_message);
            reader_ = ws::Reader(ws::Peer::client, ws::ReaderLimits{options_.max_incoming_message}, true);
        }
    }
    out_ += "\r\n";
    writing_ = true;
    stream_.tcp().expires_after(options_.handshake_timeout);
    asio::async_write(stream_, asio::buffer(out_),
                      [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                          self->on_handshake_written(error);
                      });
}

void WsSession::on_handshake_written(const boost::system::error_code& error) {
    writing_ = false;
    stream_.tcp().expires_never();
    if (closed_) return;
    if (error) {
        log_(log_prefix_ + ": WebSocket handshake failed: " + error.message());
        abort();
        return;
    }
    open_ = true;
    last_heard_ = Clock::now();
    read();
    arm_idle_timer();
    if (shaping_) arm_due_timer();
    if (auto on_open = std::exchange(on_open_, nullptr)) on_open(shared_from_this());
    write_next();
}

void WsSession::read() {
    stream_.async_read_some(asio::buffer(read_buffer_),
                            [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
                                if (self->closed_) return;
                                if (error) {
                                    self->abort();  // the client went away (or reset)
                                    return;
                                }
                                self->on_read(bytes);
                            });
}

void WsSession::on_read(std::size_t bytes) {
    last_heard_ = Clock::now();
    pinged_ = false;
    if (auto failure = reader_.feed(std::string_view(read_buffer_.data(), bytes), *this)) {
        fail(failure->close_code, failure->reason);
    }
    if (!closed_) read();
}

void WsSession::on_message(ws::Opcode type, std::string_view payload, bool compressed) {
    if (failing_ || closed_) return;
    // Clients have nothing to say to an emitter; what they send is checked, then dropped.
    if (compressed) {
        switch (inflater_->inflate(payload, inflated_)) {
            case ws::MessageInflater::Result::corrupt: return fail(ws::close_code::invalid_payload, "corrupt deflate data");
            case ws::MessageInflater::Result::too_big: return fail(ws::close_code::message_too_big, "message too big");
            case ws::MessageInflater::Result::ok: break;
        }
        if (type == ws::Opcode::text && !utf8::is_valid(inflated_))
            return fail(ws::close_code::invalid_payload, "text message not UTF-8");
        inflated_.clear();
    }
}

void WsSession::on_ping(std::string_view payload) {
    if (closing_ || failing_ || closed_) return;
    // Only the newest ping is answered when several wait (RFC 6455 section 5.5.3 allows it): a
    // client that pings and never reads cannot grow this session's memory.
    pending_pong_.assign(payload);
    pong_pending_ = true;
    write_next();
}

void WsSession::on_close(std::optional<std::uint16_t> code, std::string_view) {
    close_received_ = true;
    if (close_sent_) {
        finish_close();  // the client answered evsim's close
    } else {
        send_close(code);  // echo it; the TCP connection closes once the answer is written
    }
}

void WsSession::fail(std::uint16_t code, std::string_view why) {
    if (failing_ || closed_) return;
    log_(log_prefix_ + ": closing with " + std::to_string(code) + ": " + std::string(why));
    failing_ = true;
    if (close_sent_) {
        finish_close();
        return;
    }
    send_close(code, why);
}

void WsSession::send_close(std::optional<std::uint16_t> code, std::string_view reason) {
    if (closing_ || closed_) return;
    closing_ = true;
    queue_.clear();
    cancel_shaping();
    close_frame_ = ws::close_payload(code, reason);
    close_queued_ = true;
    write_next();
}

void WsSession::finish_close() {
    // The server closes the TCP connection first (RFC 6455 section 7.1.1); over TLS after
    // close_notify, which TLS clients wait for before they call the close clean.
    if (auto* tls = stream_.tls(); tls && !tls_shutdown_) {
        tls_shutdown_ = true;
        idle_timer_.cancel();
        stream_.tcp().expires_after(options_.handshake_timeout);
        tls->async_shutdown([self = shared_from_this()](const boost::system::error_code&) { self->finish_close(); });
        return;
    }
    boost::system::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    abort();
}

void WsSession::arm_idle_timer() {
    const auto half = options_.idle_timeout / 2;
    idle_timer_.expires_at(last_heard_ + (pinged_ ? options_.idle_timeout : half));
    idle_timer_.async_wait([self = shared_from_this(), half](const boost::system::error_code& error) {
        if (error || self->closed_) return;
        const auto quiet = Clock::now() - self->last_heard_;
        if (quiet >= self->options_.idle_timeout) {
            self->log_(self->log_prefix_ + ": nothing heard from the client for the idle timeout: dropped");
            self->abort();
            return;
        }
        if (quiet >= half && !self->pinged_ && !self->closing_) {
            self->pinged_ = true;
            self->ping_pending_ = true;
            self->write_next();
        }
        self->arm_idle_timer();
    });
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
    write_next();
}

void WsSession::append_message(std::string_view payload) {
    const auto opcode = options_.binary ? ws::Opcode::binary : ws::Opcode::text;
    if (deflater_) {
        compressed_.clear();
        deflater_->compress(payload, compressed_);
        ws::append_frame(out_, opcode, compressed_, ws::FrameOptions{.rsv1 = true});
    } else {
        ws::append_frame(out_, opcode, payload);
    }
}

std::size_t WsSession::append_batch() {
    batch_.clear();
    queue_.take(batch_, max_batch);
    for (const auto& message : batch_) append_message(*message);
    const auto messages = batch_.size();
    batch_.clear();
    return messages;
}

void WsSession::write_next() {
    if (!open_ || closed_ || writing_) return;
    if (control_pending()) {
        // Control frames first (the pong, a keep-alive ping, the close), whole, between messages.
        out_.clear();
        if (ping_pending_) ws::append_frame(out_, ws::Opcode::ping, "");
        if (pong_pending_) ws::append_frame(out_, ws::Opcode::pong, pending_pong_);
        ping_pending_ = pong_pending_ = false;
        if (close_queued_ && !close_in_flight_ && !close_sent_) {
            ws::append_frame(out_, ws::Opcode::close, close_frame_);  // the last frame this session sends
            close_in_flight_ = true;
        }
        const bool shaping = shaping_ && (shaping_->busy() || shaping_->waiting || shaped_now());
        write_out(closing_ || shaping ? 0 : append_batch(), false);
        return;
    }
    if (closing_) return;
    if (shaping_ && shaping_->waiting) return;  // its timer calls back
    if (shaping_ && shaping_->busy()) {
        write_piece();
        return;
    }
    if (shaped_now()) {
        write_shaped();
    } else if (!queue_.empty()) {
        out_.clear();
        write_out(append_batch(), false);
    }
}

bool WsSession::control_pending() const {
    return ping_pending_ || pong_pending_ || (close_queued_ && !close_in_flight_ && !close_sent_);
}

void WsSession::write_out(std::size_t messages, bool shaped_piece) {
    writing_ = true;
    asio::async_write(stream_, asio::buffer(out_),
                      [self = shared_from_this(), messages, shaped_piece](const boost::system::error_code& error,
                                                                          std::size_t bytes) {
                          count(self->stats_->bytes_sent, bytes);
                          self->on_written(error, messages, shaped_piece);
                      });
}

void WsSession::on_written(const boost::system::error_code& error, std::size_t messages, bool shaped_piece) {
    writing_ = false;
    if (closed_) return;
    if (error) {
        abort();
        return;
    }
    if (out_.capacity() > kKeptWriteCapacity) std::string().swap(out_);
    if (close_in_flight_) {
        close_in_flight_ = false;
        close_sent_ = true;
        if (failing_ || close_received_) {
            finish_close();
            return;
        }
        return;  // the pending read gets the client's answer; the idle timer bounds the wait
    }
    written_ += messages;
    if (shaping_ && messages > 0) {
        if (shaped_piece) shaping_->message.reset();
        after_written();  // close, reset or stall faults for what was just written
        if (closed_) return;
    }
    write_next();
}

void WsSession::close() {
    if (closed_ || closing_) return;
    if (!open_) {
        abort();  // still in the handshake: nothing to close politely
        return;
    }
    // The pending read receives the client's answering close frame and ends the session; if the
    // client never answers, ConnectionSet's grace period (or the idle timeout) aborts it.
    send_close(ws::close_code::going_away);
}

void WsSession::abort() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    cancel_shaping();
    idle_timer_.cancel();
    on_open_ = nullptr;
    boost::system::error_code ignored;
    stream_.socket().close(ignored);
}

}  // namespace evsim::producers
