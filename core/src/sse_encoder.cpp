#include "evsim/core/sse_encoder.hpp"

#include <charconv>

#include "byte_scan.hpp"

namespace evsim::sse {
namespace {

std::string_view line_end(Framing framing) { return framing == Framing::crlf ? "\r\n" : "\n"; }

bool has_line_break(std::string_view text) {
    return scan::find_cr_or_lf(text.data(), text.size()) != scan::kNotFound;
}

// Calls `emit` for each line of `text`, where CRLF, CR and LF all end a line (as the parser sees it).
template <typename Emit>
void for_each_line(std::string_view text, Emit emit) {
    std::size_t start = 0;
    for (;;) {
        const std::size_t found = scan::find_cr_or_lf(text.data() + start, text.size() - start);
        if (found == scan::kNotFound) {
            emit(text.substr(start));
            return;
        }
        const std::size_t end = start + found;
        emit(text.substr(start, end - start));
        start = end + 1;
        if (text[end] == '\r' && start < text.size() && text[start] == '\n') ++start;
    }
}

void write_field(std::string& out, std::string_view name, std::string_view value, std::string_view eol) {
    out.append(name);
    // Always a space after the colon, so a value that itself starts with a space survives the
    // parser's stripping of exactly one.
    out.append(": ");
    out.append(value);
    out.append(eol);
}

}  // namespace

void encode_comment(std::string& out, std::string_view text, Framing framing) {
    const std::string_view eol = line_end(framing);
    for_each_line(text, [&](std::string_view line) {
        out.push_back(':');
        if (!line.empty()) {
            out.push_back(' ');
            out.append(line);
        }
        out.append(eol);
    });
}

void encode(std::string& out, const OutgoingEvent& event, Framing framing) {
    if (event.type && has_line_break(*event.type)) throw EncodeError("SSE event type must not contain CR or LF");
    if (event.id && has_line_break(*event.id)) throw EncodeError("SSE id must not contain CR or LF");
    if (event.id && event.id->find('\0') != std::string::npos) throw EncodeError("SSE id must not contain NUL");

    const std::string_view eol = line_end(framing);
    if (event.comment) encode_comment(out, *event.comment, framing);
    if (event.type && !event.type->empty()) write_field(out, "event", *event.type, eol);
    if (event.id) write_field(out, "id", *event.id, eol);
    if (event.retry) {
        char digits[24];
        const auto result = std::to_chars(std::begin(digits), std::end(digits), *event.retry);
        write_field(out, "retry", std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)), eol);
    }
    if (event.data) {
        for_each_line(*event.data, [&](std::string_view line) { write_field(out, "data", line, eol); });
    }
    out.append(eol);
}

std::string encode(const OutgoingEvent& event, Framing framing) {
    std::string out;
    encode(out, event, framing);
    return out;
}

std::string normalize_newlines(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for_each_line(text, [&, first = true](std::string_view line) mutable {
        if (!first) out.push_back('\n');
        first = false;
        out.append(line);
    });
    return out;
}

}  // namespace evsim::sse
