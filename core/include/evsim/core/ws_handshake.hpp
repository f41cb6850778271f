// The WebSocket opening handshake's computations (RFC 6455 section 4) and the permessage-deflate
// negotiation (RFC 7692 section 5 and 7.1), shared by evsim's server and client sides: keys,
// header token lists, extension offers. The HTTP messages themselves are the callers'.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evsim::ws {

// The only version there is (Sec-WebSocket-Version).
constexpr std::string_view protocol_version = "13";

// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + the RFC's GUID)).
std::string accept_key(std::string_view client_key);

// A Sec-WebSocket-Key must be the base64 encoding of 16 bytes: 22 characters of the base64
// alphabet and "==".
bool is_valid_client_key(std::string_view key) noexcept;

// The Sec-WebSocket-Key for 16 random bytes.
std::string client_key(const std::array<std::uint8_t, 16>& nonce);

// A comma-separated header value (Connection, Upgrade, Sec-WebSocket-Protocol) contains `token`,
// ignoring the optional whitespace around items; header tokens compare case-insensitively,
// subprotocol names exactly.
bool list_contains(std::string_view list, std::string_view token, bool case_sensitive = false) noexcept;

// What permessage-deflate settings the two sides agreed to. evsim's server always answers with
// server_no_context_takeover: each message it sends is compressed on its own.
struct DeflateAgreement {
    bool server_no_context_takeover = false;
    bool client_no_context_takeover = false;
    int server_max_window_bits = 15;
    int client_max_window_bits = 15;
    std::string response;  // the Sec-WebSocket-Extensions value for the 101 response
};

// The server's choice among a client's Sec-WebSocket-Extensions offers: the first
// permessage-deflate offer with only known, well-formed, non-repeated parameters that evsim can
// honour (a server window of 8 bits cannot be: zlib's smallest raw window is 9). Nullopt: none.
std::optional<DeflateAgreement> negotiate_deflate(std::string_view offers);

}  // namespace evsim::ws
