// One io_context per core. The main context (the one the caller runs, where producers, feeds,
// listeners and the control API live) plus `workers` more, each run by a thread of this pool.
// Accepted sockets are handed out round-robin over all of them, main included, so the work of
// writing events to thousands of clients spreads over every core while producers stay
// single-threaded.
//
// Lifetime: create the pool before anything that uses its contexts and destroy it after (the
// worker contexts must outlive every socket and timer made on them). shutdown() lets the workers
// finish what they were asked to do (sessions closing after a stop) and joins them; the destructor
// calls it.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstddef>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace evsim::producers {

class IoPool {
public:
    // `workers` threads besides the caller's (0: every connection on the main context).
    IoPool(boost::asio::io_context& main, std::size_t workers);
    ~IoPool();
    IoPool(const IoPool&) = delete;
    IoPool& operator=(const IoPool&) = delete;

    // One less than the number of cores (the main thread is the last one), at least 1 on a machine
    // with two or more cores.
    static std::size_t default_workers();

    boost::asio::io_context& main() noexcept { return main_; }
    // The context the next connection is served on: main and the workers in turn.
    boost::asio::io_context& next() noexcept;
    std::size_t workers() const noexcept { return contexts_.size(); }

    // Lets the workers run out of work for at most `patience` (sessions finishing their close),
    // stops those still busy, joins them, then runs the handlers the contexts still hold until none
    // is left: one may hold the last reference to a session or producer bound to another context,
    // which must be released while both contexts exist. Idempotent.
    void shutdown(std::chrono::milliseconds patience = std::chrono::milliseconds(2000));

private:
    boost::asio::io_context& main_;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>> guards_;
    std::vector<std::thread> threads_;
    std::atomic<std::size_t> turn_{0};
    std::mutex mutex_;
    std::condition_variable finished_;
    std::size_t running_ = 0;  // worker threads whose run() has not returned
    bool shut_down_ = false;
};

}  // namespace evsim::producers
