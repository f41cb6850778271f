// The structure of a JavaScript literal: values, arrays and objects (tokens are in js_lexer.cpp and
// js_string.cpp). Recursion is bounded by max_depth, so the stack use is too.
#include "js_lexer.hpp"

namespace evsim::js {
namespace {

using detail::Cursor;
using detail::describe_at;
using detail::skip_trivia;

constexpr const char* value_kinds = "a value (string, number, array, object, true, false, null)";

class Parser {
public:
    explicit Parser(Cursor& c) : c_(c) {}

    Value value(std::size_t depth) {
        skip_trivia(c_);
        Value v;
        v.at = c_.position();
        if (++values_ > max_values)
            Cursor::fail(v.at, "more than " + std::to_string(max_values) + " values; the limit is " +
                                   std::to_string(max_values));
        const char b = c_.peek();
        if (b == '[' || b == '{') {
            // depth counts the arrays and objects around this one.
            if (depth >= max_depth)
                Cursor::fail(v.at, "nesting deeper than " + std::to_string(max_depth) + " levels");
            if (b == '[') v.data = array(depth + 1);
            else v.data = object(depth + 1);
        } else if (b == '"' || b == '\'') {
            v.data = detail::read_string(c_);
        } else if ((b >= '0' && b <= '9') || b == '+' || b == '-' ||
                   (b == '.' && c_.peek(1) >= '0' && c_.peek(1) <= '9')) {
            v.data = detail::read_number(c_);
        } else if (!c_.at_end() && detail::whitespace_length(c_.text(), c_.offset()) == 0 &&
                   detail::is_identifier_start(b)) {
            keyword(v);
        } else {
            Cursor::fail(v.at, std::string("expected ") + value_kinds + ", found " + describe_at(c_));
        }
        return v;
    }

private:
    void keyword(Value& v) {
        const Cursor before = c_;
        const std::string_view word = detail::read_identifier(c_);
        if (word == "true") v.data = true;
        else if (word == "false") v.data = false;
        else if (word == "null") v.data = nullptr;
        else if (word == "undefined") v.data = Undefined{};
        else Cursor::fail(v.at, std::string("expected ") + value_kinds + ", found " + describe_at(before));
    }

    Value::Array array(std::size_t depth) {
        c_.advance();  // [
        Value::Array items;
        while (true) {
            skip_trivia(c_);
            if (c_.peek() == ']') break;  // empty, or after a trailing comma
            items.push_back(value(depth));
            skip_trivia(c_);
            if (c_.peek() == ',') {
                c_.advance();
                continue;
            }
            if (c_.peek() == ']') break;
            Cursor::fail(c_.position(), "expected ',' or ']' after an array element, found " + describe_at(c_));
        }
        c_.advance();  // ]
        return items;
    }

    Value::Object object(std::size_t depth) {
        c_.advance();  // {
        Value::Object members;
        while (true) {
            skip_trivia(c_);
            if (c_.peek() == '}') break;
            Member& m = members.emplace_back();
            m.key_at = c_.position();
            m.key = key();
            skip_trivia(c_);
            if (c_.peek() != ':')
                Cursor::fail(c_.position(), "expected ':' after property name '" + m.key + "', found " + describe_at(c_));
            c_.advance();
            m.value = value(depth);
            skip_trivia(c_);
            if (c_.peek() == ',') {
                c_.advance();
                continue;
            }
            if (c_.peek() == '}') break;
            Cursor::fail(c_.position(), "expected ',' or '}' after a property, found " + describe_at(c_));
        }
        c_.advance();  // }
        return members;
    }

    std::string key() {
        const char b = c_.peek();
        if (b == '"' || b == '\'') return detail::read_string(c_);
        if (!c_.at_end() && detail::whitespace_length(c_.text(), c_.offset()) == 0 && detail::is_identifier_start(b))
            return std::string(detail::read_identifier(c_));
        Cursor::fail(c_.position(), "expected a property name (an identifier or a quoted string), found " +
                                        describe_at(c_));
    }

    Cursor& c_;
    std::size_t values_ = 0;
};

void check_size(std::string_view text) {
    if (text.size() > max_input_bytes)
        throw SyntaxError({1, 1}, "input is " + std::to_string(text.size()) + " bytes; the limit is " +
                                      std::to_string(max_input_bytes) + " (4 MiB)");
}

}  // namespace

const Value* Value::find(std::string_view key) const noexcept {
    const auto* members = std::get_if<Object>(&data);
    if (members == nullptr) return nullptr;
    for (auto it = members->rbegin(); it != members->rend(); ++it)
        if (it->key == key) return &it->value;
    return nullptr;
}

std::string describe(const Value& value) {
    struct Describe {
        std::string operator()(std::nullptr_t) const { return "null"; }
        std::string operator()(Undefined) const { return "undefined"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(double) const { return "a number"; }
        std::string operator()(const std::string&) const { return "a string"; }
        std::string operator()(const Value::Array&) const { return "an array"; }
        std::string operator()(const Value::Object&) const { return "an object"; }
    };
    return std::visit(Describe{}, value.data);
}

Parsed parse_literal_at(std::string_view text, std::size_t offset) {
    check_size(text);
    Cursor c(text, offset);
    Parser parser(c);
    Parsed parsed;
    parsed.value = parser.value(0);
    parsed.end = c.offset();
    return parsed;
}

Value parse_literal(std::string_view text) {
    check_size(text);
    Cursor c(text, 0);
    Parser parser(c);
    Value v = parser.value(0);
    skip_trivia(c);
    if (!c.at_end()) Cursor::fail(c.position(), "expected the end of input after the value, found " + describe_at(c));
    return v;
}

}  // namespace evsim::js
