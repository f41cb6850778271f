// Number formatting, JSON string escaping and the parameter checks shared by the payload generators.
#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "evsim/core/utf8.hpp"
#include "payload_detail.hpp"

namespace evsim::payload::detail {

void append_int(std::string& out, std::int64_t value) {
    std::array<char, max_int_chars> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out.append(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
}

void append_fixed(std::string& out, double value, int decimals) {
    // std::to_chars is locale-independent and correctly rounded, unlike printf/iostreams, and with
    // chars_format::fixed it never writes an exponent.
    std::array<char, max_fixed_chars(max_decimals) + 8> buffer{};
    const auto result =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed, decimals);
    const char* begin = buffer.data();
    if (*begin == '-') {
        // A small negative value that rounds to zero prints as "-0.00": drop the sign, a reader would
        // take it for a bug.
        bool all_zero = true;
        for (const char* p = begin + 1; p != result.ptr; ++p) all_zero = all_zero && (*p == '0' || *p == '.');
        if (all_zero) ++begin;
    }
    out.append(begin, static_cast<std::size_t>(result.ptr - begin));
}

void append_json_escaped(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t clean_from = 0;  // copy runs of bytes that need no escaping in one append
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
        out.append(text.data() + clean_from, i - clean_from);
        clean_from = i + 1;
        switch (byte) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hex[byte >> 4U];
                out += hex[byte & 0xFU];
        }
    }
    out.append(text.data() + clean_from, text.size() - clean_from);
}

std::string describe(double value) {
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

std::string describe(std::int64_t value) {
    std::string text;
    append_int(text, value);
    return text;
}

void check_real(std::string_view generator, std::string_view parameter, double value) {
    if (std::isfinite(value) && std::fabs(value) <= max_magnitude) return;
    throw SpecError(std::string(generator) + ": " + std::string(parameter) +
                    " must be a finite number between -1e15 and 1e15 (got " + describe(value) + ")");
}

void check_decimals(std::string_view generator, int decimals) {
    if (decimals >= 0 && decimals <= max_decimals) return;
    throw SpecError(std::string(generator) + ": decimals must be 0..9 (got " + std::to_string(decimals) + ")");
}

void check_utf8(std::string_view what, std::string_view text) {
    const std::size_t bad = utf8::first_invalid(text);
    if (bad == std::string_view::npos) return;
    throw SpecError(std::string(what) + " is not valid UTF-8 (first bad byte at offset " + std::to_string(bad) + ")");
}

}  // namespace evsim::payload::detail
