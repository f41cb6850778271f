// The token-level pieces of JavaScript shared by the literal parser (js_literal.cpp) and the
// config.js scanner (dashboard_scan.cpp): a cursor that knows its line and column, whitespace and
// comments, strings, numbers and identifiers. Each reader starts at the token's first byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "evsim/core/js_literal.hpp"

namespace evsim::js::detail {

class Cursor {
public:
    // Starts at `offset`; the position is counted from the start of `text`.
    Cursor(std::string_view text, std::size_t offset);

    bool at_end() const noexcept { return pos_ >= text_.size(); }
    // The byte `ahead` bytes on, or '\0' past the end (never a valid token start, so safe to compare).
    char peek(std::size_t ahead = 0) const noexcept {
        return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
    }
    bool starts_with(std::string_view s) const noexcept { return text_.substr(pos_).starts_with(s); }
    void advance(std::size_t bytes = 1) noexcept;

    std::size_t offset() const noexcept { return pos_; }
    Position position() const noexcept { return {line_, column_}; }
    std::string_view text() const noexcept { return text_; }

    [[noreturn]] static void fail(Position where, const std::string& message) { throw SyntaxError(where, message); }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int column_ = 1;
};

// Bytes of the whitespace or line-terminator code point at `pos` (JS's WhiteSpace and
// LineTerminator, BOM included), or 0.
std::size_t whitespace_length(std::string_view text, std::size_t pos) noexcept;

// Bytes of a line terminator (LF, CR, CRLF, U+2028, U+2029) at `pos`, or 0.
std::size_t line_terminator_length(std::string_view text, std::size_t pos) noexcept;

// The value of `c` as a digit of `radix` (2, 8, 10 or 16), or -1.
int digit_value(char c, int radix) noexcept;

bool is_identifier_start(char c) noexcept;  // ASCII letters, '_', '$', and any byte of a non-ASCII character
bool is_identifier_part(char c) noexcept;   // the above and digits

// Skips whitespace and comments; an unterminated /* comment is an error at its start.
void skip_trivia(Cursor& c);

// At a quote: the string's value as UTF-8 (ill-formed bytes become U+FFFD, lone surrogates too).
std::string read_string(Cursor& c);

// At a sign, a digit or a '.' followed by a digit.
double read_number(Cursor& c);

// At is_identifier_start (and not at whitespace): the identifier's text.
std::string_view read_identifier(Cursor& c);

// What the cursor is at, for "found ..." in messages: "end of input", "identifier 'foo'", "'('", ...
std::string describe_at(const Cursor& c);

}  // namespace evsim::js::detail
