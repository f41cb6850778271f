// Reading a json_template's text: JSON (RFC 8259) in which {{name}} may stand for a whole value or sit
// inside a string. Checking the JSON grammar with the placeholders in place, rather than after some
// substitution, lets errors point at offsets in the text the user wrote.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace evsim::payload::detail {

struct Placeholder {
    std::size_t begin = 0;  // offset of the first '{'
    std::size_t end = 0;    // offset just after the closing "}}"
    std::string_view name;  // points into the text
    bool in_string = false;  // inside a JSON string (insert escaped, no quotes) or a whole value
};

// The placeholders of `text` in order. Throws SpecError("json_template: ...") naming the offset when
// the text is not JSON with placeholders, or a "{{" does not start a well-formed placeholder. Does not
// check names against fields (the caller knows them) nor size limits.
std::vector<Placeholder> parse_template(std::string_view text);

// True for the characters a field name is made of: ASCII letters, digits and '_'.
bool is_name_char(char c) noexcept;

}  // namespace evsim::payload::detail
