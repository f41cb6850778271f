// Encoder for the text/event-stream format: the inverse of sse::Parser.
//
// SSE cannot carry a bare CR inside a value (every CR, LF and CRLF ends a line), so data line breaks
// of any kind are written as separate `data:` lines and read back as LF. Everything else round-trips
// byte for byte: parse(encode(e)) yields e with its data's line breaks normalised to LF.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace evsim::sse {

enum class Framing {
    lf,    // "\n" after every line: what nearly every server sends
    crlf,  // "\r\n": what some servers (for example tornado-based ones) send
};

struct OutgoingEvent {
    std::optional<std::string> type;     // `event:`; omitted when empty or absent
    std::optional<std::string> data;     // `data:` lines; absent means no data (nothing is dispatched)
    std::optional<std::string> id;       // `id:`; present-but-empty resets the client's last event id
    std::optional<std::uint64_t> retry;  // `retry:` in milliseconds
    std::optional<std::string> comment;  // `:` lines, written first
};

// Thrown when a field cannot be expressed: a line break in the type or id, or NUL in the id
// (a client would silently ignore such an id).
class EncodeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Appends the wire form of `event`, ending with the blank line that dispatches it.
void encode(std::string& out, const OutgoingEvent& event, Framing framing = Framing::lf);
std::string encode(const OutgoingEvent& event, Framing framing = Framing::lf);

// Appends a comment block (one `:` line per line of `text`) with no dispatching blank line:
// what keep-alives use.
void encode_comment(std::string& out, std::string_view text, Framing framing = Framing::lf);

// Replaces every CRLF and lone CR with LF: what a client sees of `data` after a round trip.
std::string normalize_newlines(std::string_view text);

}  // namespace evsim::sse
