// A dialect producer's handle on one SSE stream, made on the producer's thread when the request is
// answered and told its session once the stream has opened on its connection's thread. What is
// due to the stream meanwhile waits here (bounded), so nothing pushed in between is lost, and the
// session is held weakly: one that ended leaves at once.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <utility>
#include <vector>

#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/sse_session.hpp"

namespace evsim::producers {

class OpeningStream {
public:
    explicit OpeningStream(std::size_t max_pending) : max_pending_(max_pending) {}

    // On the producer's thread, once the stream opened (null `session`: it never did).
    void opened(const std::shared_ptr<SseSession>& session, boost::asio::any_io_executor executor) {
        opened_ = true;
        session_ = session;
        executor_ = std::move(executor);
        if (!session) {
            pending_.clear();
            return;
        }
        for (auto& message : std::exchange(pending_, {})) deliver(std::move(message));
        if (finishing_) finish();
    }

    void deliver(Message message) {
        if (!opened_) {
            if (pending_.size() >= max_pending_) pending_.erase(pending_.begin());
            pending_.push_back(std::move(message));
            return;
        }
        boost::asio::post(executor_, [weak = session_, message = std::move(message)] {
            if (auto session = weak.lock()) session->deliver(message);
        });
    }

    // Ends the stream after what was delivered before (at once if it is open, else once it opens).
    void finish() {
        finishing_ = true;
        if (!opened_) return;
        boost::asio::post(executor_, [weak = session_] {
            if (auto session = weak.lock()) session->finish();
        });
    }

    bool is_opened() const noexcept { return opened_; }
    // Opening, or open and not yet ended.
    bool alive() const {
        if (!opened_) return true;
        const auto session = session_.lock();
        return session && !session->closed();
    }

private:
    std::size_t max_pending_;
    std::weak_ptr<SseSession> session_;
    boost::asio::any_io_executor executor_;
    std::vector<Message> pending_;
    bool opened_ = false;
    bool finishing_ = false;
};

}  // namespace evsim::producers
