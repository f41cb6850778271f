#include "evsim/producers/sse_session.hpp"

#include "sse_session_shaping.hpp"

#include <boost/asio/write.hpp>
#include <utility>

namespace evsim::producers {

namespace asio = boost::asio;

SseSession::SseSession(net::MaybeTlsStream stream, Message response_header, const scenario::QueueSettings& queue,
                       std::shared_ptr<EmitterStats> stats, std::shared_ptr<const FaultPlan> faults,
                       std::uint64_t number)
    : stream_(std::move(stream)),
      queue_(queue.max_messages, queue.max_bytes),
      stats_(std::move(stats)),
      disconnect_when_full_(queue.on_full == scenario::SlowConsumer::disconnect) {
    in_flight_.push_back(std::move(response_header));
    if (faults && !faults->faults.empty()) make_shaping(std::move(faults), number);
}

SseSession::~SseSession() = default;

void SseSession::start(ConnectionSet& connections) {
    registration_ = connections.add(shared_from_this(), stream_.get_executor());
    write_in_flight();  // the header, queued by the constructor
    watch_for_close();
    if (shaping_) arm_due_timer();
}

void SseSession::finish() {
    finishing_ = true;
    if (!busy() && queue_.empty()) abort();
}

void SseSession::deliver(const Message& message) {
    if (closed_ || finishing_) return;
    if (queue_.push(message)) {
        count(stats_->events_dropped);
        if (disconnect_when_full_) {
            count(stats_->slow_consumers_disconnected);
            abort();
            return;
        }
    }
    ++delivered_;
    if (shaping_) count(stats_->faults_injected, shaping_faults().on_deliver(delivered_));
    if (!busy()) write_next();
}

void SseSession::write_next() {
    if (closed_ || busy()) return;
    if (shaped_now()) {
        write_shaped();
    } else if (!queue_.empty()) {
        queue_.take(in_flight_, max_batch);
        write_in_flight();
    }
}

void SseSession::abort() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    cancel_shaping();
    boost::system::error_code ignored;
    stream_.socket().close(ignored);
}

void SseSession::write_in_flight() {
    buffers_.clear();
    for (const auto& message : in_flight_) buffers_.push_back(asio::buffer(*message));
    // The header is in flight alone, before any message: it is not a message.
    const std::size_t messages = in_flight_.size() - (header_pending_ ? 1 : 0);
    header_pending_ = false;
    asio::async_write(stream_, buffers_,
                      [self = shared_from_this(), messages](const boost::system::error_code& error, std::size_t bytes) {
                          count(self->stats_->bytes_sent, bytes);
                          self->on_write(error, messages);
                      });
}

void SseSession::on_write(const boost::system::error_code& error, std::size_t messages) {
    in_flight_.clear();
    if (closed_) return;
    if (error) {
        abort();
        return;
    }
    written_ += messages;
    if (shaping_) {
        after_written();  // close, reset or stall faults for what was just written
        if (closed_) return;
    }
    if (finishing_ && queue_.empty()) {
        abort();
        return;
    }
    write_next();
}

void SseSession::watch_for_close() {
    // A pending read is how a server learns that an SSE client went away between events; what the
    // client sends (nothing, normally) is discarded.
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                                if (self->closed_) return;
                                if (error) {
                                    self->abort();
                                } else {
                                    self->watch_for_close();
                                }
                            });
}

}  // namespace evsim::producers
