#include "evsim/core/sse_parser.hpp"


#include "byte_scan.hpp"
#include "evsim/core/utf8.hpp"

namespace evsim::sse {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool all_ascii_digits(std::string_view value) noexcept {
    if (value.empty()) return false;
    for (const char c : value) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

}  // namespace

std::string_view to_string(ParseError error) {
    switch (error) {
        case ParseError::none: return "no error";
        case ParseError::line_too_long: return "line longer than the parser's limit";
        case ParseError::event_too_large: return "event data larger than the parser's limit";
    }
    return "unknown parse error";
}

Parser::Parser(ParserHandler& handler, ParserLimits limits) : handler_(handler), limits_(limits) {}

void Parser::set_last_event_id(std::string_view id) {
    last_event_id_.assign(id);
    last_event_id_buffer_.assign(last_event_id_);
    id_changed_ = false;
}

void Parser::reset_stream() {
    line_buffer_.clear();
    line_buffer_ascii_ = true;
    data_buffer_.clear();
    event_type_buffer_.clear();
    // Browsers start the new stream's last event ID buffer from the event source's last event ID,
    // so events after a reconnect that carry no `id` still report it.
    last_event_id_buffer_.assign(last_event_id_);
    id_changed_ = false;
    data_view_active_ = false;
    bom_seen_ = 0;
    at_stream_start_ = true;
    skip_next_lf_ = false;
    error_ = ParseError::none;
}

void Parser::end_of_stream() {
    // "Once the end of the file is reached, any pending data must be discarded."
    line_buffer_.clear();
    line_buffer_ascii_ = true;
    data_buffer_.clear();
    data_view_active_ = false;
    event_type_buffer_.clear();
    skip_next_lf_ = false;
    // An id field of the discarded event never reached the event source's last event ID.
    last_event_id_buffer_.assign(last_event_id_);
    id_changed_ = false;
}

bool Parser::fail(ParseError error) {
    error_ = error;
    line_buffer_.clear();
    line_buffer_ascii_ = true;
    data_buffer_.clear();
    data_view_active_ = false;
    return false;
}

// The UTF-8 decoder strips one BOM, and only at the start of the stream. A BOM may arrive split
// across chunks, so up to two of its bytes are held back until the third decides.
std::size_t Parser::consume_bom(std::string_view bytes) {
    std::size_t used = 0;
    while (used < bytes.size() && bom_seen_ < kBom.size()) {
        if (bytes[used] != kBom[bom_seen_]) {
            // Not a BOM after all: the held-back bytes are ordinary line content.
            line_buffer_.append(kBom.substr(0, bom_seen_));
            line_buffer_ascii_ = false;
            at_stream_start_ = false;
            return used;
        }
        ++bom_seen_;
        ++used;
    }
    if (bom_seen_ == kBom.size()) at_stream_start_ = false;
    return used;
}

ParseError Parser::feed(std::string_view bytes) {
    if (error_ != ParseError::none) return error_;
    std::size_t pos = 0;
    if (at_stream_start_) {
        pos = consume_bom(bytes);
        if (at_stream_start_) return error_;  // still undecided: every byte so far was a BOM prefix
    }
    if (skip_next_lf_ && pos < bytes.size()) {
        skip_next_lf_ = false;
        if (bytes[pos] == '\n') ++pos;
    }
    // Lines wholly inside an all-ASCII chunk need no UTF-8 repair: checked once per chunk.
    const bool chunk_ascii = scan::all_ascii(bytes.data() + pos, bytes.size() - pos);
    while (pos < bytes.size()) {
        const std::size_t found = scan::find_cr_or_lf(bytes.data() + pos, bytes.size() - pos);
        if (found == scan::kNotFound) {
            // An unfinished line: hold it, but never more than the limit allows.
            if (line_buffer_.size() + (bytes.size() - pos) > limits_.max_line_bytes) {
                fail(ParseError::line_too_long);
            } else {
                line_buffer_.append(bytes.substr(pos));
                line_buffer_ascii_ = line_buffer_ascii_ && chunk_ascii;
            }
            break;
        }
        const std::size_t end = pos + found;
        std::string_view line = bytes.substr(pos, end - pos);
        if (line_buffer_.size() + line.size() > limits_.max_line_bytes) {
            fail(ParseError::line_too_long);
            break;
        }
        detail::LineBytes line_bytes = chunk_ascii ? detail::LineBytes::chunk_ascii : detail::LineBytes::unchecked;
        if (!line_buffer_.empty()) {
            line_buffer_.append(line);
            line = line_buffer_;
            line_bytes = chunk_ascii && line_buffer_ascii_ ? detail::LineBytes::held_ascii : detail::LineBytes::unchecked;
        }
        process_line(line, line_bytes);
        line_buffer_.clear();
        line_buffer_ascii_ = true;
        if (error_ != ParseError::none) break;
        pos = end + 1;
        if (bytes[end] == '\r') {
            if (pos == bytes.size()) {
                skip_next_lf_ = true;  // the LF of a CRLF may be in the next chunk
            } else if (bytes[pos] == '\n') {
                ++pos;
            }
        }
    }
    keep_borrowed_text();
    return error_;
}

// Values kept as views into the chunk must be copied before the chunk goes away.
void Parser::keep_borrowed_text() {
    if (data_view_active_) materialize_data_view();
    event_type_buffer_.keep();
    last_event_id_buffer_.keep();
}

namespace detail {

void ChunkText::set(std::string_view value, LineBytes bytes) {
    if (bytes == LineBytes::chunk_ascii) {
        view_ = value;
        borrowed_ = true;
        return;
    }
    owned_.clear();
    if (bytes == LineBytes::held_ascii) {
        owned_.append(value);
    } else {
        utf8::append_repaired(owned_, value);
    }
    borrowed_ = false;
}

void ChunkText::keep() {
    if (!borrowed_) return;
    owned_.assign(view_);
    borrowed_ = false;
}

}  // namespace detail

namespace {

// The value of a `name:` line: after the colon, less one leading space.
std::string_view value_after(std::string_view line, std::size_t colon) {
    std::string_view value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    return value;
}

bool starts_with(std::string_view line, std::string_view prefix) {
    return line.size() >= prefix.size() && std::char_traits<char>::compare(line.data(), prefix.data(), prefix.size()) == 0;
}

// Appends to `out`, repairing UTF-8 unless the bytes are known to be ASCII. Repairing field by
// field equals repairing the whole stream: CR and LF are ASCII, so a multi-byte sequence never spans
// a line end.
void append_text(std::string& out, std::string_view value, detail::LineBytes bytes) {
    if (bytes != detail::LineBytes::unchecked) {
        out.append(value);
    } else {
        utf8::append_repaired(out, value);
    }
}

}  // namespace

void Parser::process_line(std::string_view line, detail::LineBytes bytes) {
    if (line.empty()) {
        dispatch();
        return;
    }
    // The common fields first, recognised by their prefix without searching for the colon.
    switch (line.front()) {
        case 'd':
            if (starts_with(line, "data:")) return process_data(value_after(line, 4), bytes);
            break;
        case 'e':
            if (starts_with(line, "event:")) return process_event_type(value_after(line, 5), bytes);
            break;
        case 'i':
            if (starts_with(line, "id:")) return process_id(value_after(line, 2), bytes);
            break;
        case ':':
            handler_.on_comment(line.substr(1));
            return;
        default:
            break;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
        process_field(line, {}, bytes);
    } else {
        process_field(line.substr(0, colon), value_after(line, colon), bytes);
    }
}

void Parser::process_field(std::string_view name, std::string_view value, detail::LineBytes bytes) {
    if (name == "data") {
        process_data(value, bytes);
    } else if (name == "event") {
        process_event_type(value, bytes);
    } else if (name == "id") {
        process_id(value, bytes);
    } else if (name == "retry") {
        process_retry(value);
    }
    // Any other field name is ignored.
}

void Parser::process_data(std::string_view value, detail::LineBytes bytes) {
    // The first data line of an event, inside the current ASCII chunk, is kept as a view: an event
    // with one data line dispatched in the same chunk is then never copied.
    if (bytes == detail::LineBytes::chunk_ascii && !data_view_active_ && data_buffer_.empty() && value.size() + 1 <= limits_.max_event_bytes) {
        data_view_ = value;
        data_view_active_ = true;
        return;
    }
    if (data_view_active_) materialize_data_view();
    const std::size_t before = data_buffer_.size();
    append_text(data_buffer_, value, bytes);
    data_buffer_.push_back('\n');
    if (data_buffer_.size() > limits_.max_event_bytes) {
        data_buffer_.resize(before);
        fail(ParseError::event_too_large);
    }
}

void Parser::materialize_data_view() {
    data_buffer_.assign(data_view_);
    data_buffer_.push_back('\n');
    data_view_active_ = false;
}

void Parser::process_event_type(std::string_view value, detail::LineBytes bytes) {
    event_type_buffer_.set(value, bytes);
}

void Parser::process_id(std::string_view value, detail::LineBytes bytes) {
    // A plain loop: ids are short, and a memchr call costs more than the scan.
    for (const char c : value) {
        if (c == '\0') return;
    }
    last_event_id_buffer_.set(value, bytes);
    id_changed_ = true;
}

void Parser::process_retry(std::string_view value) {
    if (!all_ascii_digits(value)) return;
    std::uint64_t ms = 0;
    for (const char c : value) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (ms > (UINT64_MAX - digit) / 10) return;  // does not fit: ignored, like Chromium
        ms = ms * 10 + digit;
    }
    reconnection_time_ = ms;
    handler_.on_retry(ms);
}

void Parser::dispatch() {
    // Copying only when an id field was seen since the last dispatch keeps the common case free.
    if (id_changed_) {
        last_event_id_.assign(last_event_id_buffer_.view());
        id_changed_ = false;
    }
    std::string_view data;
    if (data_view_active_) {
        data = data_view_;
    } else if (!data_buffer_.empty()) {
        data = std::string_view(data_buffer_).substr(0, data_buffer_.size() - 1);  // less the last LF
    } else {
        event_type_buffer_.clear();
        return;
    }
    Event event;
    event.type = event_type_buffer_.empty() ? std::string_view("message") : event_type_buffer_.view();
    event.data = data;
    event.last_event_id = last_event_id_;
    handler_.on_event(event);
    data_view_active_ = false;
    data_buffer_.clear();
    event_type_buffer_.clear();
}

}  // namespace evsim::sse
