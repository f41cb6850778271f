#include "python_json.hpp"

#include <charconv>
#include <cmath>

#include "evsim/core/utf8.hpp"

namespace evsim::producers {

namespace {

void append_escaped_unit(std::string& out, unsigned unit) {
    static constexpr char hex[] = "0123456789abcdef";  // Python writes lowercase
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(unit >> shift) & 0xFU];
}

void append_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                case '\b': out += "\\b"; break;
                case '\f': out += "\\f"; break;
                default:
                    if (c < 0x20) append_escaped_unit(out, c);
                    else out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        // ensure_ascii: every other character as \uXXXX, above U+FFFF as a surrogate pair. Boost.JSON
        // only hands over valid UTF-8.
        const auto sequence = utf8::sequence_at(text, i);
        const std::size_t length = sequence.length == 0 ? 1 : sequence.length;
        const char32_t cp = sequence.length == 0 ? 0xFFFD : utf8::decode_at(text, i, length);
        if (cp > 0xFFFF) {
            const char32_t v = cp - 0x10000;
            append_escaped_unit(out, 0xD800 + (v >> 10));
            append_escaped_unit(out, 0xDC00 + (v & 0x3FF));
        } else {
            append_escaped_unit(out, cp);
        }
        i += length;
    }
    out += '"';
}

// Python's float repr: the shortest digits that read back as the same double, written with an
// exponent when the decimal exponent is below -4 or at least 16, and always with a '.0' otherwise.
void append_double(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value < 0 ? "-Infinity" : "Infinity";
        return;
    }
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    std::string_view sci(buffer, static_cast<std::size_t>(result.ptr - buffer));  // "-d.ddde+XX"
    std::string sign;
    if (sci.front() == '-') {
        sign = "-";
        sci.remove_prefix(1);
    }
    const auto e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.') digits += c;
    int exponent = 0;
    std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
    out += sign;
    if (exponent < -4 || exponent >= 16) {
        out += digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        const int magnitude = std::abs(exponent);  // at most 324 for a double
        out += exponent < 0 ? "e-" : "e+";
        if (magnitude < 10) out += '0';
        out += std::to_string(magnitude);
        return;
    }
    if (exponent < 0) {
        out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<std::size_t>(exponent) + 1 >= digits.size()) {
        out += digits + std::string(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0') + ".0";
    } else {
        out += digits.substr(0, static_cast<std::size_t>(exponent) + 1) + "." +
               digits.substr(static_cast<std::size_t>(exponent) + 1);
    }
}

void append(std::string& out, const boost::json::value& value) {
    switch (value.kind()) {
        case boost::json::kind::null: out += "null"; break;
        case boost::json::kind::bool_: out += value.get_bool() ? "true" : "false"; break;
        case boost::json::kind::int64: out += std::to_string(value.get_int64()); break;
        case boost::json::kind::uint64: out += std::to_string(value.get_uint64()); break;
        case boost::json::kind::double_: append_double(out, value.get_double()); break;
        case boost::json::kind::string: append_string(out, value.get_string()); break;
        case boost::json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& item : value.get_array()) {
                if (!first) out += ", ";
                first = false;
                append(out, item);
            }
            out += ']';
            break;
        }
        case boost::json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, item] : value.get_object()) {
                if (!first) out += ", ";
                first = false;
                append_string(out, key);
                out += ": ";
                append(out, item);
            }
            out += '}';
            break;
        }
    }
}

}  // namespace

std::string python_json_dumps(const boost::json::value& value) {
    std::string out;
    append(out, value);
    return out;
}

}  // namespace evsim::producers
