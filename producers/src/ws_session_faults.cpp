// WsSession's shaped path: how a connection with pending faults writes. A malformed fault is a
// text frame of invalid UTF-8 before the message; split and drip send the message as fragments
// (continuation frames) with pauses between them; close sends a close frame with the fault's code;
// reset aborts with RST; stall pauses writing.
#include <boost/asio/buffer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <utility>

#include "ws_session_shaping.hpp"

namespace evsim::producers {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;

WsSession::~WsSession() = default;

void WsSession::make_shaping(std::shared_ptr<const FaultPlan> plan, std::uint64_t number) {
    shaping_ = std::make_unique<Shaping>(ws_.get_executor(), std::move(plan), number);
}

bool WsSession::busy() const { return in_flight_ != nullptr || (shaping_ && shaping_->busy); }

bool WsSession::shaped_now() const {
    if (!shaping_) return false;
    const auto now = Clock::now();
    return !shaping_->faults.idle(now) || (shaping_->stall_until && *shaping_->stall_until > now);
}

void WsSession::inject(std::shared_ptr<const faults::FaultSpec> fault, bool next_message) {
    if (!open_ || closing_ || closed_) return;
    if (!shaping_) make_shaping(std::make_shared<const FaultPlan>(), 0);
    count(stats_->faults_injected);
    if (next_message) {
        shaping_->faults.inject(std::move(fault), delivered_ + 1);
        return;
    }
    const bool idle = !busy() && queue_.empty();
    shaping_->faults.inject(std::move(fault), idle ? written_ : delivered_);
    if (idle) {
        after_written();
        write_next();
    }
}

void WsSession::write_shaped() {
    auto& s = *shaping_;
    const auto now = Clock::now();
    // A stall, or a drip's gap between the last fragment and the next message.
    auto until = s.stall_until;
    if (s.not_before && !queue_.empty() && (!until || *s.not_before > *until)) until = s.not_before;
    if (until && *until > now) {
        s.busy = true;
        s.timer.expires_at(*until);
        s.timer.async_wait([self = shared_from_this()](const beast::error_code& error) {
            if (error || self->closed_) return;
            self->shaping_->busy = false;
            self->write_next();
        });
        return;
    }
    s.stall_until.reset();
    s.not_before.reset();
    if (queue_.empty()) {
        after_written();  // a fault injected for "now" may be waiting
        return;
    }
    const auto index = delivered_ - queue_.size() + 1;  // the queue drops its oldest: the front's number
    s.message = queue_.pop();
    auto plan = s.faults.plan_write(index, s.message->size(), now);
    if (!plan.prefix.empty()) s.prefix = std::make_shared<const std::string>(std::move(plan.prefix));
    s.pieces.assign(plan.pieces.begin(), plan.pieces.end());
    s.busy = true;
    write_piece();
}

void WsSession::write_piece() {
    auto& s = *shaping_;
    auto done = [self = shared_from_this()](const beast::error_code& error, std::size_t bytes) {
        self->piece_written(error, bytes);
    };
    if (s.prefix) {
        // A whole text frame whatever the session's mode: invalid UTF-8 only means something in text.
        ws_.text(true);
        ws_.async_write(asio::buffer(*s.prefix), std::move(done));
        s.prefix.reset();
        return;
    }
    ws_.text(!options_.binary);
    const auto piece = s.pieces.front();
    s.pieces.pop_front();
    const bool last = s.pieces.empty();
    // One piece is a normal message; several are its fragments, the last one with FIN.
    ws_.async_write_some(last, asio::buffer(s.message->data() + piece.offset, piece.size), std::move(done));
    if (!last) {
        s.timer.expires_after(piece.pause_after);
    } else if (piece.pause_after.count() > 0) {
        s.not_before = Clock::now() + piece.pause_after;
    }
}

void WsSession::piece_written(const beast::error_code& error, std::size_t bytes) {
    count(stats_->bytes_sent, bytes);
    if (closed_ || closing_) return;
    if (error) {
        abort();
        return;
    }
    auto& s = *shaping_;
    if (s.pieces.empty()) {
        s.busy = false;
        s.message.reset();
        ++written_;
        after_written();
        write_next();
        return;
    }
    if (s.timer.expiry() <= Clock::now()) {
        write_piece();
        return;
    }
    s.timer.async_wait([self = shared_from_this()](const beast::error_code& e) {
        if (!e && !self->closed_ && !self->closing_) self->write_piece();
    });
}

void WsSession::after_written() {
    auto& s = *shaping_;
    const auto after = s.faults.after_write(written_, Clock::now());
    if (after.reset) {
        beast::error_code ignored;
        ws_.next_layer().socket().set_option(asio::socket_base::linger(true, 0), ignored);
        abort();
        return;
    }
    if (after.close) {
        closing_ = true;
        queue_.clear();
        ws_.async_close(beast::websocket::close_reason(after.close_code),
                        [self = shared_from_this()](const beast::error_code& error) {
                            if (error) self->abort();
                        });
        return;
    }
    if (after.stall_until && (!s.stall_until || *after.stall_until > *s.stall_until)) s.stall_until = after.stall_until;
}

void WsSession::arm_due_timer() {
    const auto due = shaping_->faults.next_due();
    if (!due) return;
    shaping_->due_timer.expires_at(*due);
    shaping_->due_timer.async_wait([self = shared_from_this()](const beast::error_code& error) {
        if (error || self->closed_ || self->closing_) return;
        count(self->stats_->faults_injected, self->shaping_->faults.on_time(Clock::now()));
        if (!self->busy() && self->queue_.empty()) self->after_written();
        if (self->closed_ || self->closing_) return;
        self->write_next();
        self->arm_due_timer();
    });
}

void WsSession::cancel_shaping() {
    if (!shaping_) return;
    shaping_->timer.cancel();
    shaping_->due_timer.cancel();
    shaping_->pieces.clear();
}

}  // namespace evsim::producers
