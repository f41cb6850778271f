// Reader and writer for the FILE event source's records. docs/file-format.md is the specification;
// keep the two in step.
#include "evsim/core/file_format.hpp"

#include "evsim/core/utf8.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace evsim::file_format {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kNotFound = std::string_view::npos;

unsigned byte_at(std::string_view text, std::size_t pos) { return static_cast<unsigned char>(text[pos]); }

bool is_space(unsigned c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_separator(unsigned c) { return c == ';' || c == ','; }
bool is_control(unsigned c) { return c < 0x20U || c == 0x7FU; }
bool is_ascii_alnum(unsigned c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_key_char(unsigned c) { return is_ascii_alnum(c) || c == '_' || c == '-' || c == '.'; }
// What the writer may leave unquoted: nothing a reader could take for syntax, whitespace or an escape.
bool is_bare_safe(unsigned c) { return is_ascii_alnum(c) || c == '.' || c == '-' || c == '+' || c == '_'; }

std::string hex(unsigned value, const char* format) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

// ---- Diagnostics ----

// Turns byte offsets into line:column. Diagnostics mostly come in increasing order, so it resumes
// from the last answer instead of rescanning, which keeps a run of warnings linear in the input.
class Locator {
public:
    Locator(std::string_view text, std::size_t start) : text_(text), start_(start), offset_(start) {}

    Diagnostic at(std::size_t offset, std::string message) {
        if (offset < offset_) *this = Locator(text_, start_);
        for (; offset_ < offset && offset_ < text_.size(); ++offset_) {
            const unsigned c = byte_at(text_, offset_);
            const bool lf_after_cr = c == '\n' && offset_ > start_ && text_[offset_ - 1] == '\r';
            if (c == '\r' || (c == '\n' && !lf_after_cr)) {
                ++line_;
                column_ = 1;
            } else if (c != '\n' && (c & 0xC0U) != 0x80U) {  // continuation bytes share their lead's column
                ++column_;
            }
        }
        return {line_, column_, offset, std::move(message)};
    }

    std::string line_column(std::size_t offset) {
        const Diagnostic d = at(offset, {});
        return std::to_string(d.line) + ":" + std::to_string(d.column);
    }

private:
    std::string_view text_;
    std::size_t start_;
    std::size_t offset_;
    std::size_t line_ = 1;
    std::size_t column_ = 1;
};

// Names what sits at `pos`, for the "found ..." half of a message.
std::string describe(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return "end of input";
    const unsigned c = byte_at(text, pos);
    if (c == '\n' || c == '\r') return "a line break";
    if (c == ' ') return "a space";
    if (c == '\t') return "a tab";
    if (is_control(c)) return "control character " + hex(c, "U+%04X");
    if (c == '\'') return "\"'\"";
    if (c < 0x80U) return std::string("'") + static_cast<char>(c) + "'";
    const std::size_t length = utf8::sequence_at(text, pos).length;
    if (length == 0) return "byte " + hex(c, "0x%02X");
    return "'" + std::string(text.substr(pos, length)) + "' (" +
           hex(static_cast<unsigned>(utf8::decode_at(text, pos, length)), "U+%04X") + ")";
}

std::string key_for_message(std::string_view key) {
    constexpr std::size_t kMax = 32;  // keys are ASCII, so cutting by bytes is safe
    return "'" + std::string(key.substr(0, kMax)) + (key.size() > kMax ? "...'" : "'");
}

// ---- Reader ----

class Reader {
public:
    Reader(std::string_view text, std::size_t start, const Limits& limits, ParseResult& result)
        : text_(text), pos_(start), limits_(limits), result_(result), locator_(text, start) {}

    void run() {
        if (const std::size_t bad = utf8::first_invalid(text_, pos_); bad != kNotFound) {
            fail(bad, utf8::sequence_at(text_, bad).cut_off
                          ? "expected valid UTF-8, found a sequence cut off by the end of input"
                          : "expected valid UTF-8, found " + describe(text_, bad));
            return;
        }
        while (true) {
            while (!at_end() && (is_space(peek()) || is_separator(peek()))) ++pos_;
            if (at_end()) break;
            if (!read_pair()) return;
        }
        if (event_ || data_) fail(pos_, missing_half() + ", found end of input (a torn or truncated write?)");
    }

private:
    struct Field {
        std::string value;
        std::size_t offset = 0;  // where its key starts
    };

    bool at_end() const { return pos_ >= text_.size(); }
    unsigned peek() const { return byte_at(text_, pos_); }
    std::string found() const { return describe(text_, pos_); }
    void skip_blanks() {  // only spaces and tabs may surround '=': a line break there would be a guess
        while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
    }

    bool fail(std::size_t offset, std::string message) {
        result_.error = locator_.at(offset, std::move(message));
        return false;
    }

    bool read_pair() {
        const std::size_t key_offset = pos_;
        while (!at_end() && is_key_char(peek())) ++pos_;
        const std::string_view key = text_.substr(key_offset, pos_ - key_offset);
        if (key.empty()) return fail(pos_, "expected a key such as 'event' or 'data', found " + found());
        skip_blanks();
        if (at_end() || peek() != '=') {
            return fail(pos_, "expected '=' after the key " + key_for_message(key) + ", found " + found());
        }
        ++pos_;
        skip_blanks();
        const std::size_t value_offset = pos_;
        std::string value;
        if (at_end() || is_space(peek()) || is_separator(peek())) {
            return fail(pos_, "expected a value after the '=' of " + key_for_message(key) + ", found " + found() +
                                  " (an empty value is written \"\")");
        }
        const bool quoted = peek() == '"' || peek() == '\'';
        if (!(quoted ? read_quoted(value) : read_bare(value))) return false;
        if (!at_end() && !is_space(peek()) && !is_separator(peek())) {
            return fail(pos_, "expected ';', ',', whitespace or end of input after the value of " +
                                  key_for_message(key) + ", found " + found());
        }
        return accept(key, key_offset, std::move(value), value_offset);
    }

    bool read_bare(std::string& value) {
        const std::size_t start = pos_;
        for (; !at_end() && !is_space(peek()) && !is_separator(peek()); ++pos_) {
            const unsigned c = peek();
            if (c == '"' || c == '\'' || c == '=' || is_control(c)) {
                return fail(pos_, "expected ';', ',', whitespace or end of input to end the bare value, found " +
                                      found() + " (quote a value that contains it)");
            }
        }
        value.assign(text_.substr(start, pos_ - start));
        return true;
    }

    bool read_quoted(std::string& value) {
        const unsigned quote = peek();
        const std::size_t open = pos_++;
        const auto unterminated = [&](const char* hint) {
            return "unterminated quoted value starting at " + locator_.line_column(open) + ": expected a closing " +
                   (quote == '"' ? "'\"'" : "\"'\"") + ", found " + found() + hint;
        };
        // Raw line breaks are refused so that a missing closing quote is reported on its own line.
        const auto is_plain = [quote](unsigned c) { return c != quote && c != '\\' && (!is_control(c) || c == '\t'); };
        while (true) {
            if (at_end()) return fail(pos_, unterminated(" (a torn or truncated write?)"));
            const unsigned c = peek();
            if (c == quote) {
                ++pos_;
                return true;
            }
            if (c == '\\') {
                if (pos_ + 1 < text_.size()) {
                    if (!read_escape(value)) return false;
                    continue;
                }
                ++pos_;
                return fail(pos_, unterminated(" (a torn or truncated write?)"));
            }
            if (c == '\n' || c == '\r') return fail(pos_, unterminated(" (write a line break in a value as \\n)"));
            if (!is_plain(c)) {
                return fail(pos_, "expected text or a closing quote in the quoted value, found " + found() +
                                      " (write it as an escape such as \\u0000)");
            }
            const std::size_t start = pos_;  // copy the whole run of plain bytes at once
            while (!at_end() && is_plain(peek())) ++pos_;
            value.append(text_.substr(start, pos_ - start));
        }
    }

    // At a backslash with at least one byte after it.
    bool read_escape(std::string& value) {
        const std::size_t backslash = pos_++;
        const unsigned c = byte_at(text_, pos_++);
        static constexpr std::string_view kNames = "\"'\\/bfnrt";  // \X for each of these means...
        static constexpr std::string_view kValues = "\"'\\/\b\f\n\r\t";  // ...the byte at the same index
        if (const std::size_t i = kNames.find(static_cast<char>(c)); i != kNotFound) {
            value += kValues[i];
            return true;
        }
        if (c == 'u') return read_unicode_escape(backslash, value);
        return fail(backslash, "expected an escape (\\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX), found '\\' "
                               "followed by " + describe(text_, pos_ - 1));
    }

    // After "\u": four hex digits, and for a high surrogate a second "\uXXXX" with the low one.
    bool read_unicode_escape(std::size_t backslash, std::string& value) {
        std::uint32_t unit = 0;
        if (!read_hex4(unit)) return false;
        if (unit >= 0xDC00U && unit <= 0xDFFFU) {
            return fail(backslash, "expected a code point or a high surrogate, found the lone low surrogate " +
                                       hex(unit, "\\u%04X"));
        }
        if (unit < 0xD800U || unit > 0xDBFFU) {
            utf8::append_code_point(value, unit);
            return true;
        }
        const std::string expected =
            "expected a low surrogate \\uDC00-\\uDFFF after " + hex(unit, "\\u%04X") + ", found ";
        const std::size_t second = pos_;
        if (text_.substr(pos_, 2) != "\\u") return fail(pos_, expected + found());
        pos_ += 2;
        std::uint32_t low = 0;
        if (!read_hex4(low)) return false;
        if (low < 0xDC00U || low > 0xDFFFU) return fail(second, expected + hex(low, "\\u%04X"));
        utf8::append_code_point(value, 0x10000U + ((unit - 0xD800U) << 10U) + (low - 0xDC00U));
        return true;
    }

    bool read_hex4(std::uint32_t& unit) {
        for (int i = 0; i < 4; ++i, ++pos_) {
            const unsigned c = at_end() ? 0U : peek();
            unsigned digit = 0;
            if (c >= '0' && c <= '9') digit = c - '0';
            else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10U;
            else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10U;
            else return fail(pos_, "expected 4 hex digits after \\u, found " + found());
            unit = (unit << 4U) | digit;
        }
        return true;
    }

    // What the half-assembled record lacks, and where it began.
    std::string missing_half() {
        return event_ ? "expected 'data' for the event at " + locator_.line_column(event_->offset)
                      : "expected 'event' for the data at " + locator_.line_column(data_->offset);
    }

    bool accept(std::string_view key, std::size_t key_offset, std::string value, std::size_t value_offset) {
        const bool is_event = key == "event";
        if (!is_event && key != "data") {
            warn(key_offset,
                 "expected 'event' or 'data', found the unknown key " + key_for_message(key) + " (pair ignored)");
            return true;
        }
        if (is_event && value.empty()) {
            return fail(value_offset, "expected a non-empty event name, found an empty value");
        }
        std::optional<Field>& slot = is_event ? event_ : data_;
        if (slot) return fail(key_offset, missing_half() + ", found a second '" + std::string(key) + "'");
        slot = Field{std::move(value), key_offset};
        if (!event_ || !data_) return true;
        if (result_.records.size() >= limits_.max_records) {
            const std::size_t record_start = std::min(event_->offset, data_->offset);
            return fail(record_start, "expected at most " + std::to_string(limits_.max_records) +
                                          " records (Limits::max_records), found another");
        }
        result_.records.push_back({std::move(event_->value), std::move(data_->value)});
        event_.reset();
        data_.reset();
        return true;
    }

    void warn(std::size_t offset, std::string message) {
        if (result_.warnings.size() < limits_.max_warnings) {
            result_.warnings.push_back(locator_.at(offset, std::move(message)));
        } else {
            ++result_.dropped_warnings;
        }
    }

    std::string_view text_;
    std::size_t pos_;
    Limits limits_;
    ParseResult& result_;
    Locator locator_;
    std::optional<Field> event_;  // fields of the record being assembled, in either order
    std::optional<Field> data_;
};

// ---- Writer ----

void require_utf8(std::string_view value, const char* what) {
    if (utf8::first_invalid(value, 0) != kNotFound) {
        throw std::invalid_argument(std::string("evsim::file_format::write: the ") + what + " is not valid UTF-8");
    }
}

void append_quoted(std::string& out, std::string_view value) {
    static constexpr std::string_view kRaw = "\"\\\n\r\t";  // written as a backslash and...
    static constexpr std::string_view kEscaped = "\"\\nrt";  // ...the letter at the same index
    out += '"';
    for (const char ch : value) {
        const unsigned c = static_cast<unsigned char>(ch);
        if (const std::size_t i = kRaw.find(ch); i != kNotFound) {
            out += '\\';
            out += kEscaped[i];
        } else if (is_control(c)) {
            out += hex(c, "\\u%04X");
        } else {
            out += ch;
        }
    }
    out += '"';
}

void append_record(std::string& out, const Record& record) {
    if (record.event.empty()) throw std::invalid_argument("evsim::file_format::write: the event name is empty");
    require_utf8(record.event, "event name");
    require_utf8(record.data, "data");
    out += "event=";
    append_quoted(out, record.event);
    out += ";data=";
    const bool bare = !record.data.empty() && std::all_of(record.data.begin(), record.data.end(), [](char ch) {
        return is_bare_safe(static_cast<unsigned char>(ch));
    });
    if (bare) {
        out += record.data;
    } else {
        append_quoted(out, record.data);
    }
}

}  // namespace

std::string to_string(const Diagnostic& diagnostic) {
    return std::to_string(diagnostic.line) + ":" + std::to_string(diagnostic.column) + ": " + diagnostic.message;
}

ParseResult parse(std::string_view text, Limits limits) {
    ParseResult result;
    if (text.size() > limits.max_input_bytes) {
        result.error = Diagnostic{1, 1, 0,
                                  "expected at most " + std::to_string(limits.max_input_bytes) +
                                      " bytes of input (Limits::max_input_bytes), found " +
                                      std::to_string(text.size())};
        return result;
    }
    const std::size_t start = text.starts_with(kBom) ? kBom.size() : 0;
    Reader(text, start, limits, result).run();
    if (result.error) result.records.clear();  // all or nothing: never hand out part of a torn file
    return result;
}

std::string write(const Record& record) {
    std::string out;
    append_record(out, record);
    return out;
}

std::string write(const std::vector<Record>& records) {
    std::string out;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (i > 0) out += '\n';
        append_record(out, records[i]);
    }
    return out;
}

}  // namespace evsim::file_format
