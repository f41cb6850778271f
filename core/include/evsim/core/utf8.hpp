// UTF-8 decoding with replacement, as the WHATWG Encoding Standard's UTF-8 decoder specifies it:
// every maximal ill-formed subsequence becomes one U+FFFD, and the byte that ended it is examined again.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace evsim::utf8 {

// True when `bytes` is well-formed UTF-8 (no surrogates, no overlongs, nothing above U+10FFFF).
bool is_valid(std::string_view bytes) noexcept;

// Appends `bytes` to `out`, replacing ill-formed sequences with U+FFFD (EF BF BD). A sequence cut
// off by the end of `bytes` is ill-formed: callers pass complete units (for SSE, whole lines).
void append_repaired(std::string& out, std::string_view bytes);

// Convenience: the repaired copy of `bytes`.
std::string repaired(std::string_view bytes);

// Offset of the first byte of the first ill-formed sequence at or after `from`, or npos.
std::size_t first_invalid(std::string_view bytes, std::size_t from = 0) noexcept;

struct Sequence {
    std::size_t length = 0;  // of the well-formed sequence at the position (1 for ASCII); 0 when ill-formed
    bool cut_off = false;    // ill-formed only because the input ends inside the sequence
};
// Classifies the sequence at `pos` (< bytes.size()).
Sequence sequence_at(std::string_view bytes, std::size_t pos) noexcept;

// The code point of the well-formed sequence of `length` bytes at `pos`.
char32_t decode_at(std::string_view bytes, std::size_t pos, std::size_t length) noexcept;

// Appends the UTF-8 encoding of `code_point` (a scalar value: not a surrogate, at most U+10FFFF).
void append_code_point(std::string& out, char32_t code_point);

}  // namespace evsim::utf8
