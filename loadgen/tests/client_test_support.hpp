// Test support for EventSourceClient: an io_context on its own thread and an observer that records
// observations as short strings and lets the test wait for them.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "evsim/loadgen/event_source_client.hpp"

namespace evsim::loadgen::testing {

using namespace std::chrono_literals;

class IoThread {
public:
    IoThread() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
    ~IoThread() {
        work_.reset();
        io_.stop();
        thread_.join();
    }
    boost::asio::io_context& io() { return io_; }

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::thread thread_;
};

// Records "open", "message TYPE DATA ID", "error STATE KIND STATUS" lines.
class RecordingObserver : public EventSourceObserver {
public:
    void on_open() override { add("open"); }
    void on_message(const sse::Event& e) override {
        add("message " + std::string(e.type) + " " + std::string(e.data) + " " + std::string(e.last_event_id));
    }
    void on_error(ReadyState state, const ErrorInfo& info) override {
        add("error " + std::to_string(static_cast<int>(state)) + " " + std::string(to_string(info.kind)) + " " +
            std::to_string(info.status));
    }

    bool wait_for_count(std::size_t n, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, timeout, [&] { return seen_.size() >= n; });
    }
    std::vector<std::string> seen() {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    void add(std::string line) {
        {
            std::lock_guard lock(mutex_);
            seen_.push_back(std::move(line));
        }
        cv_.notify_all();
    }
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::string> seen_;
};

}  // namespace evsim::loadgen::testing
