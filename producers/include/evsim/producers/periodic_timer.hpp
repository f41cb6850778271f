// Calls a function every `interval` on an io_context, without drift: ticks are scheduled from the
// previous deadline, not from when the callback ran.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace evsim::producers {

class PeriodicTimer : public std::enable_shared_from_this<PeriodicTimer> {
public:
    // Shared so a pending wait keeps the timer alive after its owner let go of it.
    static std::shared_ptr<PeriodicTimer> create(boost::asio::io_context& io, std::chrono::milliseconds interval,
                                                 std::function<void()> on_tick);

    // The first tick comes one interval from now: callers send their immediate value themselves.
    void start();
    // No tick runs after stop(), even one whose wait already completed. Drops the callback, so
    // whatever it captured is released.
    void stop();

    std::chrono::milliseconds interval() const noexcept { return interval_; }

private:
    struct PrivateTag {};

public:
    PeriodicTimer(PrivateTag, boost::asio::io_context& io, std::chrono::milliseconds interval,
                  std::function<void()> on_tick);

private:
    void arm();

    boost::asio::steady_timer timer_;
    std::chrono::milliseconds interval_;
    std::function<void()> on_tick_;
    std::chrono::steady_clock::time_point next_;
    bool running_ = false;
};

}  // namespace evsim::producers
