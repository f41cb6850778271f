// SseSession's shaped path: how a connection with pending faults writes. One message at a time:
// the malformed bytes before it, the message cut at split positions (and, while dripping, into
// chunks), a pause between pieces; then close, reset or stall once it is written.
#include <boost/asio/write.hpp>
#include <utility>

#include "sse_session_shaping.hpp"

namespace evsim::producers {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

void SseSession::make_shaping(std::shared_ptr<const FaultPlan> plan, std::uint64_t number) {
    shaping_ = std::make_unique<Shaping>(stream_.get_executor(), std::move(plan), number);
}

ConnectionFaults& SseSession::shaping_faults() { return shaping_->faults; }

bool SseSession::busy() const { return !in_flight_.empty() || (shaping_ && shaping_->busy); }

bool SseSession::shaped_now() const {
    if (!shaping_ || header_pending_) return false;
    const auto now = Clock::now();
    return !shaping_->faults.idle(now) || (shaping_->stall_until && *shaping_->stall_until > now);
}

void SseSession::inject(std::shared_ptr<const faults::FaultSpec> fault, bool next_message) {
    if (closed_) return;
    if (!shaping_) make_shaping(std::make_shared<const FaultPlan>(), 0);
    count(stats_->faults_injected);
    if (next_message) {
        shaping_->faults.inject(std::move(fault), delivered_ + 1);
        return;
    }
    // Now: after what is queued, or at once (close, reset, stall) when nothing is.
    const bool idle = !busy() && queue_.empty();
    shaping_->faults.inject(std::move(fault), idle ? written_ : delivered_);
    if (idle) {
        after_written();
        if (!closed_) write_next();
    }
}

void SseSession::write_shaped() {
    auto& s = *shaping_;
    const auto now = Clock::now();
    if (s.stall_until && *s.stall_until > now) {
        wait_then_write(*s.stall_until);
        return;
    }
    s.stall_until.reset();
    if (s.not_before && *s.not_before > now && !queue_.empty()) {
        wait_then_write(*s.not_before);  // a drip's gap between the last piece and the next message
        return;
    }
    s.not_before.reset();
    if (queue_.empty()) {
        after_written();  // a fault injected for "now" may be waiting
        return;
    }
    s.index = delivered_ - queue_.size() + 1;  // the queue drops its oldest: the front's number
    const Message message = queue_.pop();
    auto plan = s.faults.plan_write(s.index, message->size(), now);
    if (!plan.prefix.empty()) {
        const auto size = plan.prefix.size();
        s.pieces.push_back({std::make_shared<const std::string>(std::move(plan.prefix)), {0, size, {}}});
    }
    for (const auto& range : plan.pieces) s.pieces.push_back({message, range});
    s.busy = true;
    write_piece();
}

void SseSession::write_piece() {
    auto& s = *shaping_;
    if (s.pieces.empty()) {
        s.busy = false;
        ++written_;
        after_written();
        if (!closed_) write_next();
        return;
    }
    const auto piece = s.pieces.front();
    s.pieces.pop_front();
    asio::async_write(stream_, asio::buffer(piece.bytes->data() + piece.range.offset, piece.range.size),
                      [self = shared_from_this(), piece](const boost::system::error_code& error, std::size_t bytes) {
                          count(self->stats_->bytes_sent, bytes);
                          if (self->closed_) return;
                          if (error) {
                              self->abort();
                              return;
                          }
                          const bool more = !self->shaping_->pieces.empty();
                          if (!more && piece.range.pause_after.count() > 0) {
                              self->shaping_->not_before = Clock::now() + piece.range.pause_after;
                          }
                          if (more && piece.range.pause_after.count() > 0) {
                              self->shaping_->timer.expires_after(piece.range.pause_after);
                              self->shaping_->timer.async_wait([self](const boost::system::error_code& e) {
                                  if (!e && !self->closed_) self->write_piece();
                              });
                          } else {
                              self->write_piece();
                          }
                      });
}

void SseSession::after_written() {
    auto& s = *shaping_;
    const auto after = s.faults.after_write(written_, Clock::now());
    if (after.reset) {
        reset_connection();
        return;
    }
    if (after.close) {
        abort();  // the end of a close-delimited body: FIN
        return;
    }
    if (after.stall_until && (!s.stall_until || *after.stall_until > *s.stall_until)) s.stall_until = after.stall_until;
}

void SseSession::wait_then_write(Clock::time_point until) {
    shaping_->busy = true;
    shaping_->timer.expires_at(until);
    shaping_->timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
        if (error || self->closed_) return;
        self->shaping_->busy = false;
        self->write_next();
    });
}

void SseSession::arm_due_timer() {
    const auto due = shaping_->faults.next_due();
    if (!due) return;
    shaping_->due_timer.expires_at(*due);
    shaping_->due_timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
        if (error || self->closed_) return;
        count(self->stats_->faults_injected, self->shaping_->faults.on_time(Clock::now()));
        if (!self->busy() && self->queue_.empty()) self->after_written();
        if (!self->closed_) {
            self->write_next();
            self->arm_due_timer();
        }
    });
}

void SseSession::reset_connection() {
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    boost::system::error_code ignored;
    stream_.socket().set_option(asio::socket_base::linger(true, 0), ignored);
    abort();
}

void SseSession::cancel_shaping() {
    if (!shaping_) return;
    shaping_->timer.cancel();
    shaping_->due_timer.cancel();
    shaping_->pieces.clear();
}

}  // namespace evsim::producers
