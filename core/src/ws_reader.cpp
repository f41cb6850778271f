#include "evsim/core/ws_reader.hpp"

#include <algorithm>
#include <cstring>

#include "evsim/core/utf8.hpp"

namespace evsim::ws {

namespace {

// A message buffer that grew past this is released after the message, so one big message does
// not pin its memory for the rest of a long-lived connection.
constexpr std::size_t kKeptCapacity = 1U << 20U;

bool known_opcode(std::uint8_t op) noexcept { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

}  // namespace

Reader::Reader(Peer peer, ReaderLimits limits, bool compression_agreed)
    : peer_(peer), limits_(limits), compression_agreed_(compression_agreed) {}

std::optional<ReadFailure> Reader::fail(std::uint16_t code, std::string_view reason) {
    failure_ = ReadFailure{code, reason};
    state_ = State::done;
    message_.clear();
    control_.clear();
    return failure_;
}

bool Reader::read_header(std::string_view& bytes) {
    auto take = [&](std::size_t want) {
        const std::size_t n = std::min(want - header_size_, bytes.size());
        std::memcpy(header_ + header_size_, bytes.data(), n);
        header_size_ += n;
        bytes.remove_prefix(n);
        return header_size_ == want;
    };
    if (header_size_ < 2 && !take(2)) return false;
    const std::uint8_t len7 = header_[1] & 0x7FU;
    const std::size_t wanted = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((header_[1] & 0x80U) ? 4 : 0);
    return take(wanted);
}

std::optional<ReadFailure> Reader::check_header() {
    const std::uint8_t b0 = header_[0];
    const std::uint8_t b1 = header_[1];
    fin_ = (b0 & 0x80U) != 0;
    rsv1_ = (b0 & 0x40U) != 0;
    masked_ = (b1 & 0x80U) != 0;
    const std::uint8_t op = b0 & 0x0FU;
    const std::uint8_t len7 = b1 & 0x7FU;
    std::size_t at = 2;
    if (len7 == 126) {
        length_ = (std::uint64_t{header_[2]} << 8U) | header_[3];
        at = 4;
        if (length_ < 126) return fail(close_code::protocol_error, "frame length not in its shortest form");
    } else if (len7 == 127) {
        length_ = 0;
        for (std::size_t i = 2; i < 10; ++i) length_ = (length_ << 8U) | header_[i];
        at = 10;
        if (length_ >> 63U) return fail(close_code::protocol_error, "frame length above 2^63");
        if (length_ <= 0xFFFFU) return fail(close_code::protocol_error, "frame length not in its shortest form");
    } else {
        length_ = len7;
    }
    if (masked_) std::memcpy(key_.data(), header_ + at, 4);

    if ((b0 & 0x30U) != 0) return fail(close_code::protocol_error, "reserved bits RSV2/RSV3 set");
    if (!known_opcode(op)) return fail(close_code::protocol_error, "reserved opcode");
    opcode_ = static_cast<Opcode>(op);
    if (peer_ == Peer::client && !masked_) return fail(close_code::protocol_error, "client frame not masked");
    if (peer_ == Peer::server && masked_) return fail(close_code::protocol_error, "server frame masked");
    if (is_control(opcode_)) {
        if (!fin_) return fail(close_code::protocol_error, "fragmented control frame");
        if (length_ > max_control_payload) return fail(close_code::protocol_error, "control frame over 125 bytes");
        if (rsv1_) return fail(close_code::protocol_error, "RSV1 set on a control frame");
        return std::nullopt;
    }
    if (opcode_ == Opcode::continuation) {
        if (!in_message_) return fail(close_code::protocol_error, "continuation frame outside a message");
        if (rsv1_) return fail(close_code::protocol_error, "RSV1 set on a continuation frame");
    } else {
        if (in_message_) return fail(close_code::protocol_error, "new message before the last one's final fragment");
        if (rsv1_ && !compression_agreed_) return fail(close_code::protocol_error, "RSV1 set without an extension");
        in_message_ = true;
        message_type_ = opcode_;
        message_compressed_ = rsv1_;
    }
    if (length_ > limits_.max_message - std::min(limits_.max_message, message_.size()))
        return fail(close_code::message_too_big, "message larger than the limit");
    return std::nullopt;
}

std::optional<ReadFailure> Reader::finish_frame(ReaderHandler& handler) {
    state_ = State::header;
    if (is_control(opcode_)) {
        if (opcode_ == Opcode::ping) {
            handler.on_ping(control_);
        } else if (opcode_ == Opcode::pong) {
            handler.on_pong(control_);
        } else {
            std::optional<std::uint16_t> code;
            std::string_view reason;
            if (control_.size() == 1) return fail(close_code::protocol_error, "close frame with a one-byte payload");
            if (control_.size() >= 2) {
                code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(control_[0]) << 8U) |
                                                  static_cast<std::uint8_t>(control_[1]));
                if (!is_sendable_close_code(*code)) return fail(close_code::protocol_error, "invalid close code");
                reason = std::string_view(control_).substr(2);
                if (!utf8::is_valid(reason)) return fail(close_code::invalid_payload, "close reason not UTF-8");
            }
            state_ = State::done;
            handler.on_close(code, reason);
        }
        control_.clear();
        return std::nullopt;
    }
    if (!fin_) return std::nullopt;
    in_message_ = false;
    if (message_type_ == Opcode::text && !message_compressed_ && !utf8::is_valid(message_))
        return fail(close_code::invalid_payload, "text message not UTF-8");
    handler.on_message(message_type_, message_, message_compressed_);
    message_.clear();
    if (message_.capacity() > kKeptCapacity) std::string().swap(message_);
    return std::nullopt;
}

std::optional<ReadFailure> Reader::feed(std::string_view bytes, ReaderHandler& handler) {
    while (state_ != State::done) {
        if (state_ == State::header) {
            if (bytes.empty()) break;
            if (!read_header(bytes)) break;
            header_size_ = 0;
            if (auto failure = check_header()) return failure;
            state_ = State::payload;
            received_ = 0;
            if (length_ == 0) {
                if (auto failure = finish_frame(handler)) return failure;
            }
            continue;
        }
        if (bytes.empty()) break;
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(length_ - received_, bytes.size()));
        const bool control = is_control(opcode_);
        if (!control && !masked_ && fin_ && message_.empty() && received_ == 0 && take == length_) {
            // A whole unfragmented, unmasked message in this chunk: reported in place.
            const auto payload = bytes.substr(0, take);
            bytes.remove_prefix(take);
            state_ = State::header;
            in_message_ = false;
            if (message_type_ == Opcode::text && !message_compressed_ && !utf8::is_valid(payload))
                return fail(close_code::invalid_payload, "text message not UTF-8");
            handler.on_message(message_type_, payload, message_compressed_);
            continue;
        }
        std::string& target = control ? control_ : message_;
        const std::size_t start = target.size();
        target.append(bytes.data(), take);
        if (masked_) apply_mask(target.data() + start, take, key_, received_);
        received_ += take;
        bytes.remove_prefix(take);
        if (received_ == length_) {
            if (auto failure = finish_frame(handler)) return failure;
        }
    }
    return std::nullopt;
}

}  // namespace evsim::ws
