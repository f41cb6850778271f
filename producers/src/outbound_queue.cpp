#include "evsim/producers/outbound_queue.hpp"

#include <stdexcept>
#include <utility>

namespace evsim::producers {

OutboundQueue::OutboundQueue(std::size_t capacity) : capacity_(capacity) {
    if (capacity == 0) throw std::invalid_argument("outbound queue capacity must be at least 1");
}

bool OutboundQueue::push(Message message) {
    bool dropped = false;
    if (items_.size() >= capacity_) {
        items_.pop_front();
        ++dropped_;
        dropped = true;
    }
    items_.push_back(std::move(message));
    return dropped;
}

void OutboundQueue::take(std::vector<Message>& out, std::size_t max) {
    while (max > 0 && !items_.empty()) {
        out.push_back(std::move(items_.front()));
        items_.pop_front();
        --max;
    }
}

Message OutboundQueue::pop() {
    Message front = std::move(items_.front());
    items_.pop_front();
    return front;
}

}  // namespace evsim::producers
