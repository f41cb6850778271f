#include "fanout_run.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <iostream>
#include <limits>

#include "sse_subscriber.hpp"
#include "ws_subscriber.hpp"

namespace evsim::bench::fanout {

namespace json = boost::json;

namespace {
// Ramp granularity: small enough for a smooth rate, large enough not to spin.
constexpr auto ramp_tick = std::chrono::milliseconds(5);

double since(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}
}  // namespace

FanoutRun::FanoutRun(boost::asio::io_context& io, ClientOptions options, ResolvedTarget target)
    : io_(io), options_(std::move(options)), target_(std::move(target)), timer_(io) {
    subscribers_.reserve(options_.connections);
}

void FanoutRun::start() {
    ramp_start_ = Clock::now();
    ramp_step();
}

std::shared_ptr<Subscriber> FanoutRun::make_subscriber() {
    if (target_.protocol == Protocol::sse) return std::make_shared<SseSubscriber>(io_, target_.target, tally_);
    return std::make_shared<WsSubscriber>(io_, target_.target, tally_);
}

void FanoutRun::ramp_step() {
    if (finished_) return;
    // Start as many as the rate allows by now, never more than max_pending unanswered at once.
    const double allowed_by_rate = std::floor(options_.ramp_rate * since(ramp_start_, Clock::now())) + 1;
    const std::size_t pending = tally_.started - tally_.concluded;
    std::size_t budget = std::min<std::size_t>(options_.connections - tally_.started,
                                               options_.max_pending - std::min(pending, options_.max_pending));
    if (allowed_by_rate < static_cast<double>(tally_.started + budget)) {
        budget = static_cast<std::size_t>(std::max(0.0, allowed_by_rate - static_cast<double>(tally_.started)));
    }
    for (std::size_t i = 0; i < budget; ++i) {
        subscribers_.push_back(make_subscriber());
        subscribers_.back()->start();
    }
    if (tally_.started == options_.connections && tally_.concluded == options_.connections) {
        on_ramp_done();
        return;
    }
    timer_.expires_after(ramp_tick);
    timer_.async_wait([this](const boost::system::error_code& error) {
        if (!error) ramp_step();
    });
}

void FanoutRun::on_ramp_done() {
    ramp_done_ = true;
    ramp_end_ = Clock::now();
    if (!tally_.first_error.empty()) {
        std::cerr << "evsim_fanout_client: " << tally_.errors() << " connection(s) failed; first: " << tally_.first_error
                  << '\n';
    }
    if (options_.idle) {
        std::cout << "ready " << tally_.established << std::endl;  // flushed: a script waits for it
        if (options_.hold_seconds) after(*options_.hold_seconds, &FanoutRun::finish);
        return;
    }
    if (tally_.established == 0) {
        finish();
        return;
    }
    after(options_.warmup_seconds, &FanoutRun::begin_measurement);
}

void FanoutRun::begin_measurement() {
    baseline_.clear();
    for (const auto& s : subscribers_) baseline_.push_back(s->events());
    stream_errors_at_start_ = tally_.stream_errors;
    cpu_start_ = sample_cpu();
    window_start_ = cpu_start_.wall;
    measuring_ = true;
    // Flushed: a script samples the server's CPU time between this line and the result line.
    std::cout << "measuring " << tally_.established << std::endl;
    after(options_.duration_seconds, &FanoutRun::finish);
}

void FanoutRun::after(double seconds, void (FanoutRun::*next)()) {
    timer_.expires_after(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
    timer_.async_wait([this, next](const boost::system::error_code& error) {
        if (!error) (this->*next)();
    });
}

void FanoutRun::stop_early() {
    if (finished_) return;
    timer_.cancel();
    finish();
}

void FanoutRun::finish() {
    if (finished_) return;
    finished_ = true;
    const auto cpu_end = sample_cpu();
    const auto now = cpu_end.wall;

    json::object out;
    out["mode"] = options_.idle ? "idle" : "measure";
    out["protocol"] = to_string(target_.protocol);
    out["url"] = options_.url;
    out["connections"] = options_.connections;
    out["established"] = tally_.established;
    out["ramp_seconds"] = ramp_done_ ? since(ramp_start_, ramp_end_) : since(ramp_start_, now);
    out["ramp_complete"] = ramp_done_;
    if (measuring_) {
        const double window = since(window_start_, now);
        std::uint64_t total = 0;
        std::uint64_t low = std::numeric_limits<std::uint64_t>::max();
        std::uint64_t high = 0;
        std::size_t counted = 0;
        for (std::size_t i = 0; i < baseline_.size(); ++i) {
            if (!subscribers_[i]->established()) continue;
            const std::uint64_t got = subscribers_[i]->events() - baseline_[i];
            total += got;
            low = std::min(low, got);
            high = std::max(high, got);
            ++counted;
        }
        out["duration_seconds"] = window;
        out["complete"] = window >= options_.duration_seconds * 0.999;  // false when a signal cut it short
        out["events"] = total;
        out["events_per_second"] = static_cast<double>(total) / window;
        json::object per;
        per["min"] = counted ? static_cast<double>(low) / window : 0.0;
        per["max"] = static_cast<double>(high) / window;
        per["mean"] = counted ? static_cast<double>(total) / window / static_cast<double>(counted) : 0.0;
        out["per_connection_events_per_second"] = per;
        out["stream_errors_in_window"] = tally_.stream_errors - stream_errors_at_start_;
        out["client_cpu_percent"] = cpu_percent(cpu_start_, cpu_end);
    } else if (options_.idle) {
        std::uint64_t total = 0;
        for (const auto& s : subscribers_) total += s->events();
        out["held_seconds"] = ramp_done_ ? since(ramp_end_, now) : 0.0;
        out["events"] = total;
    } else {
        out["complete"] = false;  // ended (no connection, or a signal) before the window opened
        out["events"] = 0;
    }
    json::object errors;
    errors["connect"] = tally_.connect_errors;
    errors["handshake"] = tally_.handshake_errors;
    errors["stream"] = tally_.stream_errors;
    out["errors"] = errors;
    if (!tally_.first_error.empty()) out["first_error"] = tally_.first_error;
    std::cout << json::serialize(out) << std::endl;

    timer_.cancel();
    for (const auto& s : subscribers_) s->stop();
    io_.stop();  // the pending handlers die with the io_context; no need to wait for 10,000 closes
}

int FanoutRun::exit_code() const {
    return tally_.established == options_.connections && tally_.errors() == 0 ? 0 : 1;
}

}  // namespace evsim::bench::fanout
