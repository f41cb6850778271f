// A recursive-descent JSON checker that also accepts {{name}} as a value and inside strings.
#include "payload_template_parse.hpp"

#include <string>

#include "evsim/core/payload.hpp"

namespace evsim::payload::detail {

bool is_name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

namespace {

// Deep enough for any real payload, shallow enough that the recursion cannot exhaust the stack.
constexpr int max_depth = 128;

class TemplateParser {
public:
    explicit TemplateParser(std::string_view text) : text_(text) {}

    std::vector<Placeholder> parse() {
        skip_whitespace();
        value(0);
        skip_whitespace();
        if (pos_ != text_.size()) fail("unexpected text after the JSON value");
        return std::move(placeholders_);
    }

private:
    [[noreturn]] void fail(std::string_view why) const {
        throw SpecError("json_template: " + std::string(why) + " at offset " + std::to_string(pos_));
    }

    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    bool at_placeholder() const { return text_.substr(pos_, 2) == "{{"; }

    void skip_whitespace() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
    }

    void value(int depth) {
        if (at_end()) fail("expected a JSON value");
        if (depth > max_depth) fail("nesting deeper than 128 levels");
        if (at_placeholder()) return placeholder(false);  // "{{" cannot start a JSON object
        switch (peek()) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return word("true");
            case 'f': return word("false");
            case 'n': return word("null");
            default:
                if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number();
                fail("expected a JSON value");
        }
    }

    void object(int depth) {
        ++pos_;  // '{'
        skip_whitespace();
        if (!at_end() && peek() == '}') {
            ++pos_;
            return;
        }
        for (;;) {
            if (at_end() || peek() != '"') {
                // A placeholder cannot be a key on its own: keys are strings, so it goes inside quotes.
                fail(!at_end() && at_placeholder() ? "a key must be a string: write \"{{name}}\", with quotes"
                                                   : "expected a string key");
            }
            string();
            skip_whitespace();
            if (at_end() || peek() != ':') fail("expected ':' after the key");
            ++pos_;
            skip_whitespace();
            value(depth + 1);
            skip_whitespace();
            if (!at_end() && peek() == ',') {
                ++pos_;
                skip_whitespace();
                continue;
            }
            if (!at_end() && peek() == '}') {
                ++pos_;
                return;
            }
            fail("expected ',' or '}'");
        }
    }

    void array(int depth) {
        ++pos_;  // '['
        skip_whitespace();
        if (!at_end() && peek() == ']') {
            ++pos_;
            return;
        }
        for (;;) {
            value(depth + 1);
            skip_whitespace();
            if (!at_end() && peek() == ',') {
                ++pos_;
                skip_whitespace();
                continue;
            }
            if (!at_end() && peek() == ']') {
                ++pos_;
                return;
            }
            fail("expected ',' or ']'");
        }
    }

    void string() {
        ++pos_;  // opening quote
        for (;;) {
            if (at_end()) fail("unterminated string");
            const char c = peek();
            if (c == '"') {
                ++pos_;
                return;
            }
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string (escape it)");
            if (c == '\\') {
                escape();
            } else if (at_placeholder()) {
                placeholder(true);
            } else {
                ++pos_;
            }
        }
    }

    void escape() {
        ++pos_;  // backslash
        if (at_end()) fail("unterminated string");
        const char c = peek();
        if (c == 'u') {
            ++pos_;
            for (int i = 0; i < 4; ++i, ++pos_) {
                if (at_end() || !is_hex(peek())) fail("expected four hex digits after \\u");
            }
            return;
        }
        if (std::string_view("\"\\/bfnrt").find(c) == std::string_view::npos) fail("invalid escape");
        ++pos_;
    }

    void number() {
        // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        if (peek() == '-') ++pos_;
        if (at_end() || !is_digit(peek())) fail("expected a digit");
        if (peek() == '0') {
            ++pos_;
        } else {
            digits();
        }
        if (!at_end() && peek() == '.') {
            ++pos_;
            if (at_end() || !is_digit(peek())) fail("expected a digit after '.'");
            digits();
        }
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            ++pos_;
            if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
            if (at_end() || !is_digit(peek())) fail("expected a digit in the exponent");
            digits();
        }
    }

    void digits() {
        while (!at_end() && is_digit(peek())) ++pos_;
    }

    void word(std::string_view expected) {
        if (text_.substr(pos_, expected.size()) != expected) fail("expected a JSON value");
        pos_ += expected.size();
    }

    void placeholder(bool in_string) {
        const std::size_t begin = pos_;
        pos_ += 2;  // "{{"
        // Spaces inside the braces are allowed, as in Mustache: {{ seq }}.
        while (!at_end() && peek() == ' ') ++pos_;
        const std::size_t name_begin = pos_;
        while (!at_end() && is_name_char(peek())) ++pos_;
        const std::size_t name_end = pos_;
        while (!at_end() && peek() == ' ') ++pos_;
        if (name_begin == name_end || text_.substr(pos_, 2) != "}}") {
            pos_ = begin;
            fail("malformed placeholder: expected {{name}} with a name of letters, digits and '_' "
                 "(write a literal \"{{\" inside a string as \"\\u007b{\")");
        }
        pos_ += 2;
        placeholders_.push_back({begin, pos_, text_.substr(name_begin, name_end - name_begin), in_string});
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::vector<Placeholder> placeholders_;
};

}  // namespace

std::vector<Placeholder> parse_template(std::string_view text) { return TemplateParser(text).parse(); }

}  // namespace evsim::payload::detail
