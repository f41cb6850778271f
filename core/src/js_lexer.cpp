// Cursor, whitespace, comments, numbers and identifiers of the JavaScript subset (strings are in
// js_string.cpp).
#include <charconv>
#include <cmath>
#include <cstdio>

#include "js_lexer.hpp"

namespace evsim::js::detail {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The text of a number and whatever identifier characters stick to it ("3in", "1_000", "10n").
std::string number_text(const Cursor& c, std::size_t start, std::size_t end) {
    std::size_t stop = end;
    while (stop < c.text().size() && is_identifier_part(c.text()[stop]) && stop - start <= 40) ++stop;
    if (stop - start > 40) return std::string(c.text().substr(start, 40)) + "...";
    return std::string(c.text().substr(start, stop - start));
}

}  // namespace

int digit_value(char c, int radix) noexcept {
    int v = 99;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    return v < radix ? v : -1;
}

Cursor::Cursor(std::string_view text, std::size_t offset) : text_(text) {
    // Walking there keeps line and column counting in one place (advance).
    while (pos_ < offset && pos_ < text_.size()) advance();
}

void Cursor::advance(std::size_t bytes) noexcept {
    for (; bytes > 0 && pos_ < text_.size(); --bytes) {
        const char b = text_[pos_++];
        // CR LF counts once, at the LF; a lone CR is a line end of its own.
        if (b == '\n' || (b == '\r' && peek() != '\n')) {
            ++line_;
            column_ = 1;
        } else if (b != '\r' && (static_cast<unsigned char>(b) & 0xC0) != 0x80) {
            ++column_;  // UTF-8 continuation bytes do not start a column: columns count code points
        }
    }
}

std::size_t line_terminator_length(std::string_view text, std::size_t pos) noexcept {
    const std::string_view rest = text.substr(pos);
    if (rest.starts_with("\r\n")) return 2;
    if (rest.starts_with('\n') || rest.starts_with('\r')) return 1;
    if (rest.starts_with("\xE2\x80\xA8") || rest.starts_with("\xE2\x80\xA9")) return 3;
    return 0;
}

std::size_t whitespace_length(std::string_view text, std::size_t pos) noexcept {
    if (const std::size_t n = line_terminator_length(text, pos)) return n;
    const std::string_view rest = text.substr(pos);
    if (rest.empty()) return 0;
    switch (rest.front()) {
        case ' ': case '\t': case '\v': case '\f': return 1;
        default: break;
    }
    // NBSP, BOM and the Unicode space separators (Zs) that JS counts as white space.
    for (std::string_view ws : {"\xC2\xA0", "\xEF\xBB\xBF", "\xE1\x9A\x80", "\xE2\x80\xAF", "\xE2\x81\x9F",
                                "\xE3\x80\x80"})
        if (rest.starts_with(ws)) return ws.size();
    if (rest.size() >= 3 && rest[0] == '\xE2' && rest[1] == '\x80' && static_cast<unsigned char>(rest[2]) <= 0x8A)
        return 3;  // U+2000..U+200A
    return 0;
}

bool is_identifier_start(char c) noexcept {
    // Bytes of non-ASCII characters count: identifiers may use any letter, and an exact Unicode
    // ID_Start table is not worth it for messages and keys. Non-ASCII white space is checked first.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           (static_cast<unsigned char>(c) & 0x80) != 0;
}

bool is_identifier_part(char c) noexcept { return is_identifier_start(c) || is_digit(c); }

void skip_trivia(Cursor& c) {
    while (!c.at_end()) {
        if (const std::size_t n = whitespace_length(c.text(), c.offset())) {
            c.advance(n);
        } else if (c.starts_with("//")) {
            while (!c.at_end() && line_terminator_length(c.text(), c.offset()) == 0) c.advance();
        } else if (c.starts_with("/*")) {
            const Position start = c.position();
            const std::size_t close = c.text().find("*/", c.offset() + 2);
            if (close == std::string_view::npos) Cursor::fail(start, "unterminated comment (no closing */)");
            c.advance(close + 2 - c.offset());
        } else {
            return;
        }
    }
}

double read_number(Cursor& c) {
    const Position start = c.position();
    const std::size_t begin = c.offset();
    double sign = 1;
    if (c.peek() == '+' || c.peek() == '-') {
        if (c.peek() == '-') sign = -1;
        c.advance();
        skip_trivia(c);  // `- 1` is valid JS: a unary minus applied to 1
        if (!is_digit(c.peek()) && !(c.peek() == '.' && is_digit(c.peek(1))))
            Cursor::fail(start, "expected a number after '" + std::string(1, c.text()[begin]) + "', found " +
                                    describe_at(c));
    }
    const std::size_t digits = c.offset();
    double value = 0;
    int radix = 0;
    if (c.peek() == '0') {
        const char p = c.peek(1);
        radix = (p == 'x' || p == 'X') ? 16 : (p == 'o' || p == 'O') ? 8 : (p == 'b' || p == 'B') ? 2 : 0;
    }
    if (radix != 0) {
        c.advance(2);
        if (digit_value(c.peek(), radix) < 0)
            Cursor::fail(start, "invalid number '" + number_text(c, begin, c.offset()) + "'");
        // Exact up to 2^53, rounded beyond; digit strings long enough to overflow are caught below.
        for (int d; (d = digit_value(c.peek(), radix)) >= 0; c.advance()) value = value * radix + d;
    } else {
        if (c.peek() == '0' && is_digit(c.peek(1)))
            Cursor::fail(start, "numbers may not start with 0 ('" + number_text(c, begin, c.offset() + 2) +
                                    "'): legacy octal literals are not allowed");
        while (is_digit(c.peek())) c.advance();
        if (c.peek() == '.') {
            c.advance();
            while (is_digit(c.peek())) c.advance();
        }
        if (c.peek() == 'e' || c.peek() == 'E') {
            const std::size_t e = (c.peek(1) == '+' || c.peek(1) == '-') ? 2 : 1;
            if (!is_digit(c.peek(e))) Cursor::fail(start, "invalid number '" + number_text(c, begin, c.offset()) + "'");
            c.advance(e);
            while (is_digit(c.peek())) c.advance();
        }
        const std::string_view text = c.text().substr(digits, c.offset() - digits);
        // from_chars wants a digit first; ".5" is 0.5 and "5." is 5 in JS.
        std::string normal = text.front() == '.' ? "0" + std::string(text) : std::string(text);
        if (const auto dot = normal.find('.'); dot != std::string::npos)
            if (dot + 1 == normal.size() || !is_digit(normal[dot + 1])) normal.insert(dot + 1, "0");
        // Out of range either way (1e999, 1e-999) is an error: JS would silently make it Infinity or 0,
        // and neither is what a configuration means.
        const auto [end, error] = std::from_chars(normal.data(), normal.data() + normal.size(), value);
        if (error != std::errc{} || end != normal.data() + normal.size()) value = HUGE_VAL;
    }
    if (is_identifier_part(c.peek()) && whitespace_length(c.text(), c.offset()) == 0)
        Cursor::fail(start, "invalid number '" + number_text(c, begin, c.offset()) + "'");
    if (!std::isfinite(value))
        Cursor::fail(start, "number '" + number_text(c, begin, c.offset()) + "' is out of range");
    return sign * value;
}

std::string_view read_identifier(Cursor& c) {
    const std::size_t begin = c.offset();
    while (!c.at_end() && is_identifier_part(c.peek()) && whitespace_length(c.text(), c.offset()) == 0)
        c.advance();
    return c.text().substr(begin, c.offset() - begin);
}

std::string describe_at(const Cursor& c) {
    if (c.at_end()) return "end of input";
    const char b = c.peek();
    if (b == '`') return "a template literal (`...`)";
    if (b == '"' || b == '\'') return "a string";
    if (c.starts_with("...")) return "'...'";
    if (is_digit(b) || (b == '.' && is_digit(c.peek(1)))) return "a number";
    if (whitespace_length(c.text(), c.offset()) == 0 && is_identifier_start(b)) {
        Cursor copy = c;
        std::string_view name = read_identifier(copy);
        const bool long_name = name.size() > 40;
        std::string text(name.substr(0, 40));
        if (long_name) text += "...";
        try {
            skip_trivia(copy);
        } catch (const SyntaxError&) {
            // An unterminated comment after the name: describing the name is still right.
        }
        return copy.peek() == '(' ? "a function call '" + text + "(...)'" : "identifier '" + text + "'";
    }
    const auto u = static_cast<unsigned char>(b);
    if (u < 0x20 || u == 0x7F) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "U+%04X", u);
        return std::string("control character ") + hex;
    }
    return "'" + std::string(1, b) + "'";
}

}  // namespace evsim::js::detail
