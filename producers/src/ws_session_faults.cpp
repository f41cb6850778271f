// WsSession's shaped path: how a connection with pending faults writes. A malformed fault is a
// text frame of invalid UTF-8 before the message; split and drip send the message as fragments
// (continuation frames) with pauses between them; close sends a close frame with the fault's code;
// reset aborts with RST; stall pauses writing. Control frames (pongs) still go out between
// fragments, as RFC 6455 section 5.4 allows.
#include <boost/asio/socket_base.hpp>
#include <utility>

#include "evsim/core/ws_frame.hpp"
#include "ws_session_shaping.hpp"

namespace evsim::producers {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

WsSession::~WsSession() = default;

void WsSession::make_shaping(std::shared_ptr<const FaultPlan> plan, std::uint64_t number) {
    shaping_ = std::make_unique<Shaping>(stream_.get_executor(), std::move(plan), number);
}

bool WsSession::busy() const { return writing_ || (shaping_ && shaping_->busy()); }

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

void WsSession::wait_then_write(Clock::time_point until) {
    auto& s = *shaping_;
    s.waiting = true;
    s.timer.expires_at(until);
    s.timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
        if (error || self->closed_) return;
        self->shaping_->waiting = false;
        self->write_next();
    });
}

void WsSession::write_shaped() {
    auto& s = *shaping_;
    const auto now = Clock::now();
    // A stall, or a drip's gap between the last fragment and the next message.
    auto until = s.stall_until;
    if (s.not_before && !queue_.empty() && (!until || *s.not_before > *until)) until = s.not_before;
    if (until && *until > now) {
        wait_then_write(*until);
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
    if (deflater_) {
        // Fragments of the compressed payload: RSV1 on the first, as RFC 7692 section 6.1 says.
        compressed_.clear();
        deflater_->compress(*s.message, compressed_);
        s.message = std::make_shared<const std::string>(compressed_);
    }
    auto plan = s.faults.plan_write(index, s.message->size(), now);
    if (!plan.prefix.empty()) s.prefix = std::make_shared<const std::string>(std::move(plan.prefix));
    s.pieces.assign(plan.pieces.begin(), plan.pieces.end());
    s.first_piece = true;
    s.piece_due = now;
    write_piece();
}

void WsSession::write_piece() {
    auto& s = *shaping_;
    const auto now = Clock::now();
    if (s.piece_due > now) {
        wait_then_write(s.piece_due);
        return;
    }
    out_.clear();
    if (s.prefix) {
        // A whole text frame whatever the session's mode: invalid UTF-8 only means something in text.
        ws::append_frame(out_, ws::Opcode::text, *s.prefix);
        s.prefix.reset();
        write_out(0, true);
        return;
    }
    const auto piece = s.pieces.front();
    s.pieces.pop_front();
    const bool last = s.pieces.empty();
    const auto opcode = !s.first_piece ? ws::Opcode::continuation : options_.binary ? ws::Opcode::binary : ws::Opcode::text;
    // One piece is a normal message; several are its fragments, the last one with FIN.
    ws::append_frame(out_, opcode, std::string_view(*s.message).substr(piece.offset, piece.size),
                     ws::FrameOptions{.fin = last, .rsv1 = s.first_piece && deflater_.has_value()});
    s.first_piece = false;
    if (!last) {
        s.piece_due = now + piece.pause_after;
    } else if (piece.pause_after.count() > 0) {
        s.not_before = now + piece.pause_after;
    }
    write_out(last ? 1 : 0, true);
}

void WsSession::after_written() {
    auto& s = *shaping_;
    const auto after = s.faults.after_write(written_, Clock::now());
    if (after.reset) {
        boost::system::error_code ignored;
        stream_.socket().set_option(asio::socket_base::linger(true, 0), ignored);
        abort();
        return;
    }
    if (after.close) {
        send_close(after.close_code);
        return;
    }
    if (after.stall_until && (!s.stall_until || *after.stall_until > *s.stall_until)) s.stall_until = after.stall_until;
}

void WsSession::arm_due_timer() {
    const auto due = shaping_->faults.next_due();
    if (!due) return;
    shaping_->due_timer.expires_at(*due);
    shaping_->due_timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
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
    shaping_->waiting = false;
    shaping_->pieces.clear();
    shaping_->prefix.reset();
    shaping_->message.reset();
}

}  // namespace evsim::producers
