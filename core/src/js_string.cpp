// JavaScript string literals: either quote, every escape of ES2023 (strict mode: no octal escapes),
// line continuations. The value is UTF-8; JS strings are UTF-16, so escaped surrogate pairs are
// joined and a lone surrogate, which UTF-8 cannot hold, becomes U+FFFD.
#include "evsim/core/utf8.hpp"
#include "js_lexer.hpp"

namespace evsim::js::detail {
namespace {

bool is_high_surrogate(char32_t u) noexcept { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low_surrogate(char32_t u) noexcept { return u >= 0xDC00 && u <= 0xDFFF; }

// `count` hex digits at the cursor, consumed; `what` names the escape in the message.
char32_t read_hex(Cursor& c, int count, Position escape, const char* what) {
    char32_t value = 0;
    for (int i = 0; i < count; ++i) {
        const int d = digit_value(c.peek(), 16);
        if (d < 0) Cursor::fail(escape, std::string("invalid escape ") + what);
        value = value * 16 + static_cast<char32_t>(d);
        c.advance();
    }
    return value;
}

// After "\u": four hex digits or {hex digits} up to 10FFFF. May return a surrogate code unit.
char32_t read_unicode_escape(Cursor& c, Position escape) {
    if (c.peek() != '{') return read_hex(c, 4, escape, "\\u: expected four hex digits or {code point}");
    c.advance();
    char32_t value = 0;
    bool any = false;
    for (int d; (d = digit_value(c.peek(), 16)) >= 0; c.advance()) {
        value = value * 16 + static_cast<char32_t>(d);
        // Checked per digit, so a long run of digits cannot overflow.
        if (value > 0x10FFFF) Cursor::fail(escape, "invalid escape \\u{...}: code point above 10FFFF");
        any = true;
    }
    if (!any || c.peek() != '}') Cursor::fail(escape, "invalid escape \\u{...}: expected hex digits and '}'");
    c.advance();
    return value;
}

// A \u escape that follows a high surrogate completes the pair only if it is a low surrogate; if it
// is not, nothing is consumed and it is read again as its own escape.
bool take_low_surrogate(Cursor& c, char32_t& low) {
    if (c.peek() != '\\' || c.peek(1) != 'u') return false;
    Cursor ahead = c;
    const Position escape = ahead.position();
    ahead.advance(2);
    const char32_t unit = read_unicode_escape(ahead, escape);
    if (!is_low_surrogate(unit)) return false;
    low = unit;
    c = ahead;
    return true;
}

void append_unit(Cursor& c, std::string& out, char32_t unit) {
    char32_t low = 0;
    if (is_high_surrogate(unit) && take_low_surrogate(c, low))
        utf8::append_code_point(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
    else if (is_high_surrogate(unit) || is_low_surrogate(unit))
        utf8::append_code_point(out, 0xFFFD);
    else
        utf8::append_code_point(out, unit);
}

// At the character after a backslash.
void read_escape(Cursor& c, std::string& out, Position escape) {
    if (c.at_end()) return;  // the caller reports the unterminated string
    if (const std::size_t n = line_terminator_length(c.text(), c.offset())) {
        c.advance(n);  // line continuation: the backslash and the line end are dropped
        return;
    }
    const char e = c.peek();
    // A non-ASCII character stands for itself: left unconsumed, it joins the next raw run and is
    // checked as UTF-8 there.
    if ((static_cast<unsigned char>(e) & 0x80) != 0) return;
    c.advance();
    switch (e) {
        case 'n': out += '\n'; return;
        case 't': out += '\t'; return;
        case 'r': out += '\r'; return;
        case 'b': out += '\b'; return;
        case 'f': out += '\f'; return;
        case 'v': out += '\v'; return;
        case 'x': append_unit(c, out, read_hex(c, 2, escape, "\\x: expected two hex digits")); return;
        case 'u': append_unit(c, out, read_unicode_escape(c, escape)); return;
        case '0':
            if (c.peek() < '0' || c.peek() > '9') {
                out += '\0';
                return;
            }
            break;
        default: break;
    }
    if (e >= '0' && e <= '9')
        Cursor::fail(escape, "octal escapes such as \\" + std::string(1, e) +
                                 " are not allowed (strict mode); use \\xHH or \\uXXXX");
    // Any other character stands for itself: \' \" \\ \/ \a ...
    out += e;
}

}  // namespace

std::string read_string(Cursor& c) {
    const Position start = c.position();
    const char quote = c.peek();
    c.advance();
    std::string out;
    std::size_t run = c.offset();  // start of the raw bytes not yet copied
    const auto flush = [&] {
        // Runs end only at ASCII bytes, so a well-formed UTF-8 sequence is never cut in two.
        utf8::append_repaired(out, c.text().substr(run, c.offset() - run));
    };
    while (true) {
        if (out.size() + (c.offset() - run) > max_string_bytes)
            Cursor::fail(start, "string longer than " + std::to_string(max_string_bytes) + " bytes");
        if (c.at_end()) Cursor::fail(start, std::string("unterminated string (no closing ") + quote + ")");
        const char b = c.peek();
        if (b == quote) {
            flush();
            c.advance();
            return out;
        }
        if (b == '\n' || b == '\r')
            Cursor::fail(c.position(), "line break inside a string; write \\n, or end the line with \\ to continue it");
        if (b == '\\') {
            flush();
            const Position escape = c.position();
            c.advance();
            read_escape(c, out, escape);
            run = c.offset();
        } else {
            c.advance();
        }
    }
}

}  // namespace evsim::js::detail
