// A session's bounded queue of messages waiting to be written. When a client stops reading, the
// queue keeps only the newest messages, at most `capacity` of them and at most `max_bytes` of their
// bytes (the newest one is always kept): memory stays bounded whatever the message size, and for
// live data the newest values are the ones worth delivering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace evsim::producers {

// Encoded bytes shared by every session that sends them: one allocation per tick, not per client.
using Message = std::shared_ptr<const std::string>;

class OutboundQueue {
public:
    static constexpr std::size_t default_capacity = 1024;
    static constexpr std::size_t default_max_bytes = 8U << 20U;

    // Throws std::invalid_argument for capacity 0 or max_bytes 0.
    explicit OutboundQueue(std::size_t capacity = default_capacity, std::size_t max_bytes = default_max_bytes);

    // Appends `message`, then drops the oldest messages while either limit is exceeded. Returns true
    // when a message was dropped.
    bool push(Message message);

    // Moves up to `max` messages, oldest first, to the end of `out`.
    void take(std::vector<Message>& out, std::size_t max);

    // Removes and returns the oldest message; the queue must not be empty.
    Message pop();

    void clear() noexcept {
        items_.clear();
        bytes_ = 0;
    }
    bool empty() const noexcept { return items_.empty(); }
    std::size_t size() const noexcept { return items_.size(); }
    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t bytes() const noexcept { return bytes_; }
    std::uint64_t dropped() const noexcept { return dropped_; }

private:
    std::deque<Message> items_;
    std::size_t capacity_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace evsim::producers
