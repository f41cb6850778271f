// One run of the fan-out client: ramps up the connections at a bounded rate, then either measures
// events for a fixed window or holds the connections idle, and ends with one JSON line.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "client_options.hpp"
#include "cpu_clock.hpp"
#include "subscriber.hpp"
#include "tally.hpp"
#include "target.hpp"

namespace evsim::bench::fanout {

class FanoutRun {
public:
    FanoutRun(boost::asio::io_context& io, ClientOptions options, ResolvedTarget target);

    // Starts the ramp; the io_context's run() returns once the result line is printed.
    void start();
    // A signal: print what there is and end (the measurement, if cut short, says so).
    void stop_early();
    // 0 when every connection was established and none failed, else 1.
    int exit_code() const;

private:
    using Clock = std::chrono::steady_clock;

    void ramp_step();
    void on_ramp_done();
    void begin_measurement();
    void finish();
    std::shared_ptr<Subscriber> make_subscriber();
    void after(double seconds, void (FanoutRun::*next)());

    boost::asio::io_context& io_;
    ClientOptions options_;
    ResolvedTarget target_;
    Tally tally_;
    std::vector<std::shared_ptr<Subscriber>> subscribers_;
    boost::asio::steady_timer timer_;
    Clock::time_point ramp_start_;
    Clock::time_point ramp_end_;
    Clock::time_point window_start_;
    CpuSample cpu_start_;
    std::vector<std::uint64_t> baseline_;  // events per subscriber when the window opened
    std::uint64_t stream_errors_at_start_ = 0;
    bool ramp_done_ = false;
    bool measuring_ = false;
    bool finished_ = false;
};

}  // namespace evsim::bench::fanout
