#include "evsim/producers/periodic_timer.hpp"

#include <utility>

namespace evsim::producers {

std::shared_ptr<PeriodicTimer> PeriodicTimer::create(boost::asio::io_context& io, std::chrono::milliseconds interval,
                                                     std::function<void()> on_tick) {
    return std::make_shared<PeriodicTimer>(PrivateTag{}, io, interval, std::move(on_tick));
}

PeriodicTimer::PeriodicTimer(PrivateTag, boost::asio::io_context& io, std::chrono::milliseconds interval,
                             std::function<void()> on_tick)
    : timer_(io), interval_(interval), on_tick_(std::move(on_tick)) {}

void PeriodicTimer::start() {
    if (running_ || !on_tick_) return;
    running_ = true;
    next_ = std::chrono::steady_clock::now() + interval_;
    arm();
}

void PeriodicTimer::stop() {
    running_ = false;
    on_tick_ = nullptr;
    timer_.cancel();
}

void PeriodicTimer::arm() {
    timer_.expires_at(next_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
        // `running_` covers a wait that completed just before stop() cancelled it.
        if (error || !self->running_) return;
        self->on_tick_();
        if (!self->running_) return;  // the tick stopped the timer
        const auto now = std::chrono::steady_clock::now();
        self->next_ += self->interval_;
        // After a stall (a suspended laptop, a debugger) skip the missed ticks instead of bursting.
        if (self->next_ <= now) self->next_ = now + self->interval_;
        self->arm();
    });
}

}  // namespace evsim::producers
