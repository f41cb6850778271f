#include "evsim/core/ws_frame.hpp"

#include <cstring>

#include "evsim/core/utf8.hpp"

namespace evsim::ws {

std::string_view to_string(Opcode opcode) noexcept {
    switch (opcode) {
        case Opcode::continuation: return "continuation";
        case Opcode::text: return "text";
        case Opcode::binary: return "binary";
        case Opcode::close: return "close";
        case Opcode::ping: return "ping";
        case Opcode::pong: return "pong";
    }
    return "reserved";
}

bool is_sendable_close_code(std::uint16_t code) noexcept {
    if (code >= 1000 && code <= 1003) return true;
    if (code >= 1007 && code <= 1011) return true;
    return code >= 3000 && code <= 4999;
}

void append_header(std::string& out, Opcode opcode, std::uint64_t payload_size, const FrameOptions& options) {
    char header[max_header_size];
    std::size_t n = 0;
    header[n++] = static_cast<char>((options.fin ? 0x80U : 0U) | (options.rsv1 ? 0x40U : 0U) |
                                    static_cast<std::uint8_t>(opcode));
    const std::uint8_t mask_bit = options.mask ? 0x80U : 0U;
    if (payload_size < 126) {
        header[n++] = static_cast<char>(mask_bit | payload_size);
    } else if (payload_size <= 0xFFFFU) {
        header[n++] = static_cast<char>(mask_bit | 126U);
        header[n++] = static_cast<char>(payload_size >> 8U);
        header[n++] = static_cast<char>(payload_size & 0xFFU);
    } else {
        header[n++] = static_cast<char>(mask_bit | 127U);
        for (int shift = 56; shift >= 0; shift -= 8) header[n++] = static_cast<char>((payload_size >> shift) & 0xFFU);
    }
    if (options.mask) {
        std::memcpy(header + n, options.mask->data(), 4);
        n += 4;
    }
    out.append(header, n);
}

void append_frame(std::string& out, Opcode opcode, std::string_view payload, const FrameOptions& options) {
    append_header(out, opcode, payload.size(), options);
    const auto start = out.size();
    out.append(payload);
    if (options.mask) apply_mask(out.data() + start, payload.size(), *options.mask);
}

void apply_mask(char* data, std::size_t size, const MaskingKey& key, std::uint64_t offset) noexcept {
    // The key rotated so that data[0] lines up with key[offset % 4], repeated over 8 bytes.
    std::uint8_t rotated[8];
    for (std::size_t i = 0; i < 8; ++i) rotated[i] = key[(offset + i) % 4];
    std::uint64_t wide;
    std::memcpy(&wide, rotated, 8);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t chunk;
        std::memcpy(&chunk, data + i, 8);
        chunk ^= wide;
        std::memcpy(data + i, &chunk, 8);
    }
    for (; i < size; ++i) data[i] = static_cast<char>(static_cast<std::uint8_t>(data[i]) ^ rotated[i % 8]);
}

std::string close_payload(std::optional<std::uint16_t> code, std::string_view reason) {
    std::string out;
    if (!code) return out;
    out.push_back(static_cast<char>(*code >> 8U));
    out.push_back(static_cast<char>(*code & 0xFFU));
    // Cut the reason at a sequence boundary so the frame stays valid UTF-8 and within 125 bytes.
    std::size_t keep = 0;
    while (keep < reason.size()) {
        const auto sequence = utf8::sequence_at(reason, keep);
        const std::size_t length = sequence.length == 0 ? 1 : sequence.length;
        if (out.size() + keep + length > max_control_payload) break;
        keep += length;
    }
    out.append(reason.substr(0, keep));
    return out;
}

}  // namespace evsim::ws
