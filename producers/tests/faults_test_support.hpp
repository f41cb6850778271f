// Helpers for the fault-injection tests: a raw TCP client that records every read (its bytes, its
// offset in the stream and when it arrived) and how the connection ended, fault specs in one line,
// and small parsers for the SSE and WebSocket bytes these tests check.
#pragma once

#include <poll.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evsim/core/faults.hpp"
#include "test_support.hpp"

namespace evsim::producers::faults_test {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Chunk {
    std::size_t offset = 0;  // in the whole stream, the HTTP header included
    std::string bytes;
    Clock::time_point at;
};

// A blocking TCP client whose reads wait with poll(), so each one is bounded and timed.
class RawClient {
public:
    explicit RawClient(std::uint16_t port) : socket_(io_) {
        socket_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
        socket_.set_option(boost::asio::ip::tcp::no_delay(true));
    }

    void send(std::string_view bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size())); }

    // Reads until `done(received())` holds, the connection ends or `limit` passes; true when `done` held.
    bool read_until(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds limit = test::timeout) {
        const auto deadline = Clock::now() + limit;
        while (!ended_ && !done(received_)) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) break;
            pollfd descriptor{socket_.native_handle(), POLLIN, 0};
            const int ready = ::poll(&descriptor, 1, static_cast<int>(left.count()) + 1);
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) continue;  // the loop checks the deadline
            std::array<char, 65536> buffer{};
            boost::system::error_code error;
            const auto n = socket_.read_some(boost::asio::buffer(buffer), error);
            const auto at = Clock::now();
            if (n > 0) {
                chunks_.push_back({received_.size(), std::string(buffer.data(), n), at});
                received_.append(buffer.data(), n);
            }
            if (error) {
                ended_ = true;
                end_ = error;
                ended_at_ = at;
            }
        }
        return done(received_);
    }

    // Reads until the connection ends: true when it did within `limit`.
    bool read_to_end(std::chrono::milliseconds limit = test::timeout) {
        read_until([](const std::string&) { return false; }, limit);
        return ended_;
    }

    const std::string& received() const { return received_; }
    const std::vector<Chunk>& chunks() const { return chunks_; }
    bool ended() const { return ended_; }
    boost::system::error_code end() const { return end_; }  // eof, connection_reset, ...
    Clock::time_point ended_at() const { return ended_at_; }

    // When the byte at `offset` arrived.
    Clock::time_point time_of(std::size_t offset) const {
        for (const auto& chunk : chunks_) {
            if (offset >= chunk.offset && offset < chunk.offset + chunk.bytes.size()) return chunk.at;
        }
        return Clock::time_point::max();
    }
    // The read that starts exactly at `offset`, if one does.
    const Chunk* chunk_starting_at(std::size_t offset) const {
        for (const auto& chunk : chunks_) {
            if (chunk.offset == offset) return &chunk;
        }
        return nullptr;
    }

private:
    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    std::string received_;
    std::vector<Chunk> chunks_;
    bool ended_ = false;
    boost::system::error_code end_;
    Clock::time_point ended_at_;
};

// ---- fault specs -------------------------------------------------------------------------------

inline faults::Trigger after(std::uint64_t n) {
    faults::Trigger trigger;
    trigger.after = n;
    return trigger;
}
inline faults::Trigger every(std::uint64_t n, std::uint64_t times = 0) {
    faults::Trigger trigger;
    trigger.every = n;
    trigger.times = times;
    return trigger;
}
inline faults::Trigger at(std::chrono::microseconds elapsed) {
    faults::Trigger trigger;
    trigger.at = elapsed;
    return trigger;
}
inline faults::Trigger probability(double p) {
    faults::Trigger trigger;
    trigger.probability = p;
    return trigger;
}

// A fault of `kind` fired by `trigger`; `edit` sets its parameters. Checked like the loader checks it.
inline faults::FaultSpec make_fault(faults::Kind kind, faults::Trigger trigger, std::string_view producer_type,
                                    const std::function<void(faults::FaultSpec&)>& edit = {}) {
    faults::FaultSpec fault;
    fault.kind = kind;
    fault.trigger = trigger;
    if (kind == faults::Kind::malformed) {
        fault.bytes = producer_type == "ws" ? faults::default_malformed_ws() : faults::default_malformed_sse();
    }
    if (kind == faults::Kind::redirect) fault.status = 307;
    if (edit) edit(fault);
    faults::validate(fault, producer_type);
    return fault;
}

// ---- SSE ---------------------------------------------------------------------------------------

inline std::string sse_request() {
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
}

// Offset of the body (just past the header's blank line), or npos while the header is incomplete.
inline std::size_t body_offset(const std::string& received) {
    const auto end = received.find("\r\n\r\n");
    return end == std::string::npos ? std::string::npos : end + 4;
}

inline bool header_complete(const std::string& received) { return body_offset(received) != std::string::npos; }

struct SseEvent {
    std::string data;
    std::size_t begin = 0;  // stream offset of its first byte
    std::size_t end = 0;    // stream offset just past its blank line
};

// The `data: X\n\n` events of a stream of unnamed events (what these tests' producers send),
// skipping anything in `skip` (a malformed block) where it appears before an event.
inline std::vector<SseEvent> sse_events(const std::string& received, std::string_view skip = {}) {
    std::vector<SseEvent> events;
    auto at = body_offset(received);
    if (at == std::string::npos) return events;
    const std::string_view text(received);
    while (at < text.size()) {
        if (!skip.empty() && text.substr(at, skip.size()) == skip) {
            at += skip.size();
            continue;
        }
        const auto end = text.find("\n\n", at);
        if (end == std::string_view::npos) break;
        auto block = text.substr(at, end - at);
        if (block.substr(0, 6) == "data: ") block.remove_prefix(6);
        events.push_back({std::string(block), at, end + 2});
        at = end + 2;
    }
    return events;
}

// One letter per block of the body: 'E' for an event, 'M' for `marker`.
inline std::string sse_pattern(const std::string& received, std::string_view marker) {
    std::string pattern;
    auto at = body_offset(received);
    if (at == std::string::npos) return pattern;
    const std::string_view text(received);
    while (at < text.size()) {
        if (text.substr(at, marker.size()) == marker) {
            pattern += 'M';
            at += marker.size();
            continue;
        }
        const auto end = text.find("\n\n", at);
        if (end == std::string_view::npos) break;
        pattern += 'E';
        at = end + 2;
    }
    return pattern;
}

inline std::size_t count_of(std::string_view text, char letter) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), letter));
}

// True when the values are consecutive integers.
inline bool consecutive(const std::vector<std::string>& values) {
    for (std::size_t i = 1; i < values.size(); ++i) {
        if (std::stoll(values[i]) != std::stoll(values[i - 1]) + 1) return false;
    }
    return true;
}

inline std::vector<std::string> data_of(const std::vector<SseEvent>& events) {
    std::vector<std::string> out;
    for (const auto& event : events) out.push_back(event.data);
    return out;
}

// ---- WebSocket ---------------------------------------------------------------------------------

inline std::string ws_upgrade_request() {
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

struct Frame {
    bool fin = false;
    int opcode = 0;
    std::string payload;
    std::size_t begin = 0;  // stream offset of its first byte
};

// The complete unmasked frames after the 101 header.
inline std::vector<Frame> ws_frames(const std::string& received) {
    std::vector<Frame> frames;
    auto at = body_offset(received);
    if (at == std::string::npos) return frames;
    while (at + 2 <= received.size()) {
        const auto b0 = static_cast<unsigned char>(received[at]);
        const auto b1 = static_cast<unsigned char>(received[at + 1]);
        std::size_t length = b1 & 0x7f;
        std::size_t header = 2;
        if (length == 126) {
            if (at + 4 > received.size()) break;
            length = (static_cast<std::size_t>(static_cast<unsigned char>(received[at + 2])) << 8) |
                     static_cast<unsigned char>(received[at + 3]);
            header = 4;
        } else if (length == 127) {
            break;  // not used by these tests
        }
        if (at + header + length > received.size()) break;
        frames.push_back({(b0 & 0x80) != 0, b0 & 0x0f, received.substr(at + header, length), at});
        at += header + length;
    }
    return frames;
}

}  // namespace evsim::producers::faults_test
