#include "evsim/producers/io_pool.hpp"

#include <algorithm>

namespace evsim::producers {

IoPool::IoPool(boost::asio::io_context& main, std::size_t workers) : main_(main) {
    for (std::size_t i = 0; i < workers; ++i) {
        // Concurrency hint 1: each context is run by exactly one thread, so Asio can skip locking.
        contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
        guards_.emplace_back(contexts_.back()->get_executor());
    }
    running_ = contexts_.size();
    for (auto& context : contexts_) {
        threads_.emplace_back([this, io = context.get()] {
            io->run();
            std::lock_guard lock(mutex_);
            --running_;
            finished_.notify_all();
        });
    }
}

IoPool::~IoPool() { shutdown(); }

std::size_t IoPool::default_workers() {
    const std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
    return cores > 1 ? cores - 1 : 0;
}

boost::asio::io_context& IoPool::next() noexcept {
    if (contexts_.empty()) return main_;
    // Main takes its share too: with one context per core, every core serves connections.
    const std::size_t turn = turn_.fetch_add(1, std::memory_order_relaxed) % (contexts_.size() + 1);
    return turn == 0 ? main_ : *contexts_[turn - 1];
}

void IoPool::shutdown(std::chrono::milliseconds patience) {
    if (shut_down_) return;
    shut_down_ = true;
    for (auto& guard : guards_) guard.reset();
    {
        std::unique_lock lock(mutex_);
        if (!finished_.wait_for(lock, patience, [this] { return running_ == 0; })) {
            for (auto& context : contexts_) context->stop();  // a peer that never finishes its close
        }
    }
    for (auto& thread : threads_) thread.join();
    // With every thread gone, leftovers run here: a handler on one context may hold the last
    // reference to a session or producer bound to another, which must be released while both
    // contexts still exist.
    for (std::size_t round = 0; round < 16; ++round) {
        std::size_t ran = 0;
        if (!main_.get_executor().running_in_this_thread()) {  // never re-enter a running main
            main_.restart();
            ran += main_.poll();
        }
        for (auto& context : contexts_) {
            context->restart();
            ran += context->poll();
        }
        if (ran == 0) break;
    }
}

}  // namespace evsim::producers
