// A parser for the subset of JavaScript that hand-written configuration literals use: arrays,
// objects (identifier or quoted keys), strings in either quote with every JS escape, numbers
// (decimal, hex, exponent, leading sign), true/false/null/undefined, comments anywhere and trailing
// commas. It reads a dashboard's config.js without running it, so anything that would need running
// (identifiers as values, calls, template literals, operators) is an error that says what was found.
//
// Every error is a js::SyntaxError whose what() is "LINE:COLUMN: message" (1-based; columns count
// code points, as editors do). Input size, nesting depth, string length and the number of values are
// bounded, so no input can crash the parser, recurse without bound or take unbounded memory.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace evsim::js {

inline constexpr std::size_t max_input_bytes = 4 * 1024 * 1024;
inline constexpr std::size_t max_depth = 64;
inline constexpr std::size_t max_string_bytes = 1024 * 1024;
inline constexpr std::size_t max_values = 200'000;

struct Position {
    int line = 0;  // 1-based; 0 for a value built in code
    int column = 0;
};

class SyntaxError : public std::runtime_error {
public:
    SyntaxError(Position where, const std::string& message)
        : std::runtime_error(std::to_string(where.line) + ":" + std::to_string(where.column) + ": " + message),
          where_(where), message_(message) {}

    Position where() const noexcept { return where_; }
    // The message without the "LINE:COLUMN: " prefix.
    const std::string& message() const noexcept { return message_; }

private:
    Position where_;
    std::string message_;
};

struct Undefined {
    bool operator==(const Undefined&) const = default;
};
struct Member;

struct Value {
    using Array = std::vector<Value>;
    // Source order, duplicates kept: JS lets a later key win, find() does the same.
    using Object = std::vector<Member>;

    std::variant<std::nullptr_t, Undefined, bool, double, std::string, Array, Object> data;
    Position at;  // where the value starts

    bool is_string() const noexcept { return std::holds_alternative<std::string>(data); }
    bool is_number() const noexcept { return std::holds_alternative<double>(data); }
    bool is_array() const noexcept { return std::holds_alternative<Array>(data); }
    bool is_object() const noexcept { return std::holds_alternative<Object>(data); }
    // null and undefined: what JS code treats as "not given".
    bool is_nullish() const noexcept {
        return std::holds_alternative<std::nullptr_t>(data) || std::holds_alternative<Undefined>(data);
    }
    const std::string& as_string() const { return std::get<std::string>(data); }
    double as_number() const { return std::get<double>(data); }
    const Array& as_array() const { return std::get<Array>(data); }
    const Object& as_object() const { return std::get<Object>(data); }

    // The member named `key` of an object (the last one when written twice), or nullptr.
    const Value* find(std::string_view key) const noexcept;
};

struct Member {
    std::string key;
    Position key_at;
    Value value;
};

// "a string", "a number", "an array", "an object", "true", "false", "null", "undefined": for messages.
std::string describe(const Value& value);

// Parses `text` as one literal; whitespace and comments may surround it, nothing else.
Value parse_literal(std::string_view text);

struct Parsed {
    Value value;
    std::size_t end = 0;  // offset just past the literal
};

// Parses one literal that starts at `offset` of `text` (after whitespace and comments) and stops
// after it, whatever follows. Positions, in the value and in errors, count from the start of `text`.
Parsed parse_literal_at(std::string_view text, std::size_t offset);

}  // namespace evsim::js
