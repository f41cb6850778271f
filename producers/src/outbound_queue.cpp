#include "evsim/producers/outbound_queue.hpp"

#include <stdexcept>
#include <utility>

namespace evsim::producers {

OutboundQueue::OutboundQueue(std::size_t capacity, std::size_t max_bytes) : capacity_(capacity), max_bytes_(max_bytes) {
    if (capacity == 0) throw std::invalid_argument("outbound queue capacity must be at least 1");
    if (max_bytes == 0) throw std::invalid_argument("outbound queue byte limit must be at least 1");
}

bool OutboundQueue::push(Message message) {
    bytes_ += message->size();
    items_.push_back(std::move(message));
    bool dropped = false;
    while (items_.size() > 1 && (items_.size() > capacity_ || bytes_ > max_bytes_)) {
        bytes_ -= items_.front()->size();
        items_.pop_front();
        ++dropped_;
        dropped = true;
    }
    return dropped;
}

void OutboundQueue::take(std::vector<Message>& out, std::size_t max) {
    while (max > 0 && !items_.empty()) {
        bytes_ -= items_.front()->size();
        out.push_back(std::move(items_.front()));
        items_.pop_front();
        --max;
    }
}

Message OutboundQueue::pop() {
    Message front = std::move(items_.front());
    items_.pop_front();
    bytes_ -= front->size();
    return front;
}

}  // namespace evsim::producers
