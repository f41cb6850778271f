#include "sse_reference_parser.hpp"

#include <string>
#include <vector>

namespace evsim::sse::testing {
namespace {

// The Encoding Standard's UTF-8 decoder, step by step as written (including "prepend the byte").
std::u32string decode_utf8(std::string_view input) {
    std::u32string out;
    char32_t code_point = 0;
    int bytes_seen = 0;
    int bytes_needed = 0;
    unsigned lower = 0x80;
    unsigned upper = 0xBF;
    std::size_t i = 0;
    if (input.size() >= 3 && input.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < input.size()) {
        const unsigned byte = static_cast<unsigned char>(input[i]);
        if (bytes_needed == 0) {
            ++i;
            if (byte <= 0x7F) {
                out.push_back(byte);
            } else if (byte >= 0xC2 && byte <= 0xDF) {
                bytes_needed = 1;
                code_point = byte & 0x1F;
            } else if (byte >= 0xE0 && byte <= 0xEF) {
                if (byte == 0xE0) lower = 0xA0;
                if (byte == 0xED) upper = 0x9F;
                bytes_needed = 2;
                code_point = byte & 0xF;
            } else if (byte >= 0xF0 && byte <= 0xF4) {
                if (byte == 0xF0) lower = 0x90;
                if (byte == 0xF4) upper = 0x8F;
                bytes_needed = 3;
                code_point = byte & 0x7;
            } else {
                out.push_back(0xFFFD);
            }
            continue;
        }
        if (byte < lower || byte > upper) {
            code_point = 0;
            bytes_needed = 0;
            bytes_seen = 0;
            lower = 0x80;
            upper = 0xBF;
            out.push_back(0xFFFD);
            continue;  // the byte is not consumed: it is examined again
        }
        ++i;
        lower = 0x80;
        upper = 0xBF;
        code_point = (code_point << 6) | (byte & 0x3F);
        ++bytes_seen;
        if (bytes_seen == bytes_needed) {
            out.push_back(code_point);
            code_point = 0;
            bytes_needed = 0;
            bytes_seen = 0;
        }
    }
    if (bytes_needed != 0) out.push_back(0xFFFD);
    return out;
}

std::string encode_utf8(const std::u32string& text) {
    std::string out;
    for (const char32_t c : text) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

// Lines that end with CRLF, LF or CR; text after the last line end is not a line.
std::vector<std::u32string> complete_lines(const std::u32string& text) {
    std::vector<std::u32string> lines;
    std::u32string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        if (c == U'\r') {
            lines.push_back(current);
            current.clear();
            if (i + 1 < text.size() && text[i + 1] == U'\n') ++i;
        } else if (c == U'\n') {
            lines.push_back(current);
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    return lines;
}

}  // namespace

ParseOutcome reference_parse(std::string_view bytes) {
    ParseOutcome outcome;
    std::u32string data;
    std::u32string event_type;
    std::u32string id_buffer;
    std::u32string last_event_id;
    for (const std::u32string& line : complete_lines(decode_utf8(bytes))) {
        if (line.empty()) {
            last_event_id = id_buffer;
            if (data.empty()) {
                event_type.clear();
                continue;
            }
            data.pop_back();
            outcome.seen.push_back(message(encode_utf8(data), encode_utf8(last_event_id),
                                           event_type.empty() ? "message" : encode_utf8(event_type)));
            data.clear();
            event_type.clear();
            continue;
        }
        if (line[0] == U':') {
            outcome.seen.push_back(comment(encode_utf8(line.substr(1))));
            continue;
        }
        std::u32string name = line;
        std::u32string value;
        const std::size_t colon = line.find(U':');
        if (colon != std::u32string::npos) {
            name = line.substr(0, colon);
            value = line.substr(colon + 1);
            if (!value.empty() && value[0] == U' ') value.erase(0, 1);
        }
        if (name == U"event") {
            event_type = value;
        } else if (name == U"data") {
            data += value;
            data += U'\n';
        } else if (name == U"id") {
            if (value.find(U'\0') == std::u32string::npos) id_buffer = value;
        } else if (name == U"retry") {
            bool digits = !value.empty();
            for (const char32_t c : value) digits = digits && c >= U'0' && c <= U'9';
            // Strip leading zeros, then anything longer than 20 digits or above 2^64-1 does not fit.
            const std::string text = encode_utf8(value);
            const std::size_t first = text.find_first_not_of('0');
            const std::string significant = first == std::string::npos ? "0" : text.substr(first);
            const bool fits = significant.size() < 20 ||
                              (significant.size() == 20 && significant <= "18446744073709551615");
            if (digits && fits) outcome.seen.push_back(retry(std::stoull(significant)));
        }
    }
    outcome.last_event_id = encode_utf8(last_event_id);
    return outcome;
}

}  // namespace evsim::sse::testing
