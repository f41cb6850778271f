// A tiny strict JSON (RFC 8259) validity check for the payload tests, written separately from the
// library's template parser so that the two can catch each other's mistakes. UTF-8 validity is left to
// utf8::is_valid.
#pragma once

#include <string_view>

namespace evsim::testing {

class JsonCheck {
public:
    static bool valid(std::string_view text) {
        JsonCheck check(text);
        check.space();
        if (!check.value(0)) return false;
        check.space();
        return check.pos_ == text.size();
    }

private:
    explicit JsonCheck(std::string_view text) : s_(text) {}

    bool more() const { return pos_ < s_.size(); }
    bool eat(char c) {
        if (!more() || s_[pos_] != c) return false;
        ++pos_;
        return true;
    }
    void space() {
        while (more() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
    }
    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    bool value(int depth) {
        if (depth > 200 || !more()) return false;
        switch (s_[pos_]) {
            case '{': return members(depth, '}', true);
            case '[': return members(depth, ']', false);
            case '"': return string();
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }
    bool members(int depth, char close, bool object) {
        ++pos_;
        space();
        if (eat(close)) return true;
        for (;;) {
            if (object) {
                if (!string()) return false;
                space();
                if (!eat(':')) return false;
                space();
            }
            if (!value(depth + 1)) return false;
            space();
            if (eat(close)) return true;
            if (!eat(',')) return false;
            space();
        }
    }
    bool string() {
        if (!eat('"')) return false;
        while (more()) {
            const auto c = static_cast<unsigned char>(s_[pos_++]);
            if (c == '"') return true;
            if (c < 0x20) return false;
            if (c != '\\') continue;
            if (!more()) return false;
            const char e = s_[pos_++];
            if (e == 'u') {
                for (int i = 0; i < 4; ++i) {
                    if (!more() || std::string_view("0123456789abcdefABCDEF").find(s_[pos_++]) == std::string_view::npos) {
                        return false;
                    }
                }
            } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                return false;
            }
        }
        return false;
    }
    bool digits() {
        const std::size_t start = pos_;
        while (more() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        return pos_ > start;
    }
    bool number() {
        eat('-');
        if (eat('0')) {
            // no leading zeros
        } else if (!more() || s_[pos_] < '1' || s_[pos_] > '9' || !digits()) {
            return false;
        }
        if (eat('.') && !digits()) return false;
        if (more() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (!eat('+')) eat('-');
            if (!digits()) return false;
        }
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

}  // namespace evsim::testing
