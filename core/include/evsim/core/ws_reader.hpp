// Incremental reader of a WebSocket byte stream (RFC 6455 section 5) after the opening handshake.
//
// Feed it bytes in chunks of any size; it reassembles fragmented messages, unmasks, checks every
// rule a receiver must check and reports whole messages and control frames to a handler. The first
// violation ends the stream with the close code the RFC names for it (1002 protocol error, 1007
// invalid UTF-8, 1009 too big), which the caller sends in its close frame before closing the
// connection. Memory is bounded by the message limit; a message that arrives whole in one chunk
// from a server is reported in place, without a copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "evsim/core/ws_frame.hpp"

namespace evsim::ws {

// Whose frames are read: a server reads a client's (which must be masked), a client reads a
// server's (which must not be).
enum class Peer { client, server };

class ReaderHandler {
public:
    virtual ~ReaderHandler() = default;
    // A whole data message. `type` is text or binary; a text message is valid UTF-8 unless
    // `compressed` (permessage-deflate: the caller inflates, then checks). The view lasts only
    // during the call.
    virtual void on_message(Opcode type, std::string_view payload, bool compressed) = 0;
    virtual void on_ping(std::string_view /*payload*/) {}
    virtual void on_pong(std::string_view /*payload*/) {}
    // The peer's close frame; no code when its payload was empty. The reader reads nothing after it.
    virtual void on_close(std::optional<std::uint16_t> code, std::string_view reason) = 0;
};

struct ReaderLimits {
    // Largest message (all of its fragments) accepted; a larger one fails with 1009.
    std::size_t max_message = 16U << 20U;
};

// Why the stream failed: the code to close with and a short explanation for logs and reports.
struct ReadFailure {
    std::uint16_t close_code = close_code::protocol_error;
    std::string_view reason;  // a static string
};

class Reader {
public:
    explicit Reader(Peer peer, ReaderLimits limits = {}, bool compression_agreed = false);

    // Parses all of `bytes`, calling `handler` for what completes. Returns the failure that ended
    // the stream, if `bytes` held one. After a failure or a close frame, further input is ignored.
    std::optional<ReadFailure> feed(std::string_view bytes, ReaderHandler& handler);

    bool closed() const noexcept { return state_ == State::done; }
    const std::optional<ReadFailure>& failure() const noexcept { return failure_; }
    // Bytes of a message held while its fragments arrive (0 between messages).
    std::size_t buffered() const noexcept { return message_.size(); }

private:
    enum class State { header, payload, done };

    // Moves header bytes from the front of `bytes` into header_; true once the header is whole.
    bool read_header(std::string_view& bytes);
    std::optional<ReadFailure> check_header();
    std::optional<ReadFailure> finish_frame(ReaderHandler& handler);
    std::optional<ReadFailure> fail(std::uint16_t code, std::string_view reason);

    Peer peer_;
    ReaderLimits limits_;
    bool compression_agreed_;
    State state_ = State::header;
    std::optional<ReadFailure> failure_;

    // The frame being read.
    unsigned char header_[max_header_size]{};
    std::size_t header_size_ = 0;  // bytes of header_ filled
    Opcode opcode_ = Opcode::continuation;
    bool fin_ = false;
    bool rsv1_ = false;
    bool masked_ = false;
    MaskingKey key_{};
    std::uint64_t length_ = 0;
    std::uint64_t received_ = 0;  // payload bytes of this frame so far

    // The data message being assembled, and a control frame's payload.
    bool in_message_ = false;
    Opcode message_type_ = Opcode::text;
    bool message_compressed_ = false;
    std::string message_;
    std::string control_;
};

}  // namespace evsim::ws
