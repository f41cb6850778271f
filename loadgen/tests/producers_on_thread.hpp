// A scenario's producers on 127.0.0.1 port 0, on their own thread for a test's duration: the real
// servers the load generator's tests drive.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "evsim/producers/producer_set.hpp"

namespace evsim::loadgen::testing {

class ProducersOnThread {
public:
    explicit ProducersOnThread(const scenario::Scenario& scenario) {
        producers::ProducerSetOptions options;
        options.seed = 1;
        options.log = producers::null_log();
        set_.emplace(io_, scenario, options);
        set_->start();
        for (const auto& url : set_->urls()) urls_[url.producer] = url.url;
        thread_ = std::thread([this] { io_.run(); });
    }
    ~ProducersOnThread() {
        boost::asio::post(io_, [this] { set_->stop(); });
        thread_.join();
    }
    ProducersOnThread(const ProducersOnThread&) = delete;
    ProducersOnThread& operator=(const ProducersOnThread&) = delete;

    const std::map<std::string, std::string>& urls() const { return urls_; }
    producers::StatsSnapshot stats(const std::string& name) const { return set_->find(name)->stats(); }

    // Publishes `count` events from `name` on the producers' thread and returns once they are.
    void publish(const std::string& name, int count) {
        std::promise<void> done;
        boost::asio::post(io_, [&] {
            for (int i = 0; i < count; ++i)
                set_->find(name)->publish("", std::to_string(i), measurement::DataForm::text);
            done.set_value();
        });
        done.get_future().wait();
    }

    // Runs `task` on the producers' thread and returns once it has.
    void call(const std::function<void()>& task) {
        std::promise<void> done;
        boost::asio::post(io_, [&] {
            task();
            done.set_value();
        });
        done.get_future().wait();
    }

    // Waits until producer `name` has `count` clients (asked on the producers' thread), at most
    // `limit`; true when it did.
    bool wait_for_clients(const std::string& name, std::size_t count, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (true) {
            std::size_t now = 0;
            call([&] { now = set_->find(name)->clients(); });
            if (now == count) return true;
            if (std::chrono::steady_clock::now() >= deadline) return false;
            std::this_thread::yield();
        }
    }

private:
    boost::asio::io_context io_;
    std::optional<producers::ProducerSet> set_;
    std::map<std::string, std::string> urls_;
    std::thread thread_;
};

}  // namespace evsim::loadgen::testing
