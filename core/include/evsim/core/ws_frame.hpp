// WebSocket framing (RFC 6455 section 5): opcodes, close codes, frame headers, masking and the
// close frame's payload. The producers' sessions, the load generator's WebSocket client and the
// conformance checks all write and read frames with these, and ws::Reader (ws_reader.hpp) parses
// them; no sockets here.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evsim::ws {

enum class Opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

constexpr bool is_control(Opcode opcode) noexcept { return (static_cast<std::uint8_t>(opcode) & 0x8U) != 0; }
std::string_view to_string(Opcode opcode) noexcept;

// Status codes of a close frame (RFC 6455 section 7.4.1) that evsim sends or names.
namespace close_code {
constexpr std::uint16_t normal = 1000;
constexpr std::uint16_t going_away = 1001;
constexpr std::uint16_t protocol_error = 1002;
constexpr std::uint16_t unsupported_data = 1003;
constexpr std::uint16_t no_status = 1005;  // never on the wire: "the close frame had no code"
constexpr std::uint16_t abnormal = 1006;   // never on the wire: "no close frame at all"
constexpr std::uint16_t invalid_payload = 1007;
constexpr std::uint16_t policy_violation = 1008;
constexpr std::uint16_t message_too_big = 1009;
constexpr std::uint16_t internal_error = 1011;
}  // namespace close_code

// A code a close frame may carry: 1000-1003, 1007-1011 (IANA-registered), 3000-4999 (libraries,
// applications). 1004-1006, 1015 and everything else are reserved or never sent (section 7.4).
bool is_sendable_close_code(std::uint16_t code) noexcept;

// Control frames carry at most this much payload (section 5.5).
constexpr std::size_t max_control_payload = 125;
// The longest frame header: 2 bytes, 8 of extended length, 4 of masking key.
constexpr std::size_t max_header_size = 14;

using MaskingKey = std::array<std::uint8_t, 4>;

struct FrameOptions {
    bool fin = true;
    bool rsv1 = false;                // "compressed" with permessage-deflate (RFC 7692)
    std::optional<MaskingKey> mask{};  // clients mask every frame, servers none
};

// Appends a frame header for `payload_size` bytes, with the shortest length encoding (the RFC's
// MUST). The payload follows; a masked frame's payload must be masked by the caller (apply_mask).
void append_header(std::string& out, Opcode opcode, std::uint64_t payload_size, const FrameOptions& options = {});

// Appends a whole frame: header, then `payload` (masked when options.mask is set).
void append_frame(std::string& out, Opcode opcode, std::string_view payload, const FrameOptions& options = {});

// XORs `size` bytes with the masking key, `offset` being the position of data[0] within the
// frame's payload (so a payload may be unmasked in pieces as it arrives).
void apply_mask(char* data, std::size_t size, const MaskingKey& key, std::uint64_t offset = 0) noexcept;

// The payload of a close frame: the code (big-endian), then the reason, cut to fit the 125 bytes
// of a control frame without splitting a UTF-8 sequence. No code (nullopt) gives an empty payload.
std::string close_payload(std::optional<std::uint16_t> code, std::string_view reason = {});

}  // namespace evsim::ws
