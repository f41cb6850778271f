// Something with start() and stop() (ReferenceEmitters, ProducerSet) constructed and started on the
// test thread (so a start-up failure throws there), then run on its own io_context thread, with
// bounded ways to act on it from the test: call, eventually, stop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

namespace evsim::producers::test {

template <class Target>
class Running {
public:
    // Builds Target(io, args...) and starts it.
    template <class... Args>
    explicit Running(Args&&... args) {
        target_.emplace(io_, std::forward<Args>(args)...);
        target_->start();
        std::promise<void> finished;
        finished_ = finished.get_future();
        thread_ = std::thread([this, finished = std::move(finished)]() mutable {
            try {
                io_.run();
                finished.set_value();
            } catch (...) {
                finished.set_exception(std::current_exception());
            }
        });
    }
    ~Running() {
        stop();
        target_.reset();  // the io_context no longer runs: safe on this thread
    }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

    // Runs `f(target)` on the io_context thread and returns its result (bounded by `limit`).
    template <class F>
    auto call(F f, std::chrono::milliseconds limit = std::chrono::seconds(5))
        -> decltype(f(std::declval<Target&>())) {
        using Result = decltype(f(std::declval<Target&>()));
        auto task = std::make_shared<std::packaged_task<Result()>>([this, f] { return f(*target_); });
        auto result = task->get_future();
        boost::asio::post(io_, [task] { (*task)(); });
        if (result.wait_for(limit) != std::future_status::ready) throw std::runtime_error("io thread stuck");
        return result.get();
    }

    // Re-checks `condition` on the io_context thread until it holds or `limit` passes.
    bool eventually(const std::function<bool(Target&)>& condition, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (true) {
            if (call([&condition](Target& t) { return condition(t); })) return true;
            if (std::chrono::steady_clock::now() >= deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));  // re-check interval, not synchronisation
        }
    }

    // Posts stop() and waits for io_context::run() to return: true when it did within `limit`.
    bool stop(std::chrono::milliseconds limit) {
        request_stop();
        return wait_stopped(limit);
    }
    // The two halves of stop(), for tests that act while the target shuts down.
    void request_stop() {
        if (thread_.joinable()) boost::asio::post(io_, [this] { target_->stop(); });
    }
    bool wait_stopped(std::chrono::milliseconds limit) {
        if (!thread_.joinable()) return true;
        const bool finished = finished_.wait_for(limit) == std::future_status::ready;
        if (!finished) io_.stop();
        thread_.join();
        if (finished) finished_.get();  // rethrows what escaped io_context::run()
        return finished;
    }

protected:
    Target& target() { return *target_; }
    const Target& target() const { return *target_; }

private:
    void stop() { stop(std::chrono::seconds(5)); }

    boost::asio::io_context io_;
    std::optional<Target> target_;
    std::future<void> finished_;
    std::thread thread_;
};

}  // namespace evsim::producers::test
