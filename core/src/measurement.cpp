#include "evsim/core/measurement.hpp"

#include <charconv>

#include "payload_detail.hpp"

namespace evsim::measurement {

namespace {

constexpr std::string_view seq_prefix = R"({"evsim_seq":)";
constexpr std::string_view sent_prefix = R"(,"evsim_sent_us":)";
constexpr std::string_view data_prefix = R"(,"data":)";

void append_unsigned(std::string& out, std::uint64_t value) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

// Reads a number of type T at the start of `text` (plain decimal digits, a '-' for signed types, no
// '+', no leading zeros beyond "0"), advancing `text`. False when there is none or it overflows.
template <typename T>
bool take_number(std::string_view& text, T& value) noexcept {
    const std::size_t sign = (!text.empty() && text.front() == '-') ? 1 : 0;
    if (text.size() <= sign || text[sign] < '0' || text[sign] > '9') return false;
    if (text[sign] == '0' && text.size() > sign + 1 && text[sign + 1] >= '0' && text[sign + 1] <= '9') return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc()) return false;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
}

bool take_literal(std::string_view& text, std::string_view literal) noexcept {
    if (!text.starts_with(literal)) return false;
    text.remove_prefix(literal.size());
    return true;
}

}  // namespace

void append_id(std::string& out, Stamp stamp) {
    append_unsigned(out, stamp.seq);
    out += '.';
    payload::detail::append_int(out, stamp.sent_us);
}

std::optional<Stamp> parse_id(std::string_view id) noexcept {
    Stamp stamp;
    if (!id.empty() && id.front() == '-') return std::nullopt;  // seq is unsigned
    if (!take_number(id, stamp.seq) || !take_literal(id, ".") || !take_number(id, stamp.sent_us) || !id.empty()) {
        return std::nullopt;
    }
    return stamp;
}

void append_envelope(std::string& out, Stamp stamp, std::string_view data, DataForm form) {
    out += seq_prefix;
    append_unsigned(out, stamp.seq);
    out += sent_prefix;
    payload::detail::append_int(out, stamp.sent_us);
    out += data_prefix;
    append_json_value(out, data, form);
    out += '}';
}

void append_json_value(std::string& out, std::string_view data, DataForm form) {
    if (form == DataForm::json) {
        out += data;
        return;
    }
    out += '"';
    payload::detail::append_json_escaped(out, data);
    out += '"';
}

std::optional<Envelope> parse_envelope(std::string_view text) noexcept {
    Envelope envelope;
    if (!take_literal(text, seq_prefix) || (!text.empty() && text.front() == '-') ||
        !take_number(text, envelope.stamp.seq) || !take_literal(text, sent_prefix) ||
        !take_number(text, envelope.stamp.sent_us) || !take_literal(text, data_prefix) || text.size() < 2 ||
        text.back() != '}') {
        return std::nullopt;
    }
    text.remove_suffix(1);
    envelope.data = text;
    return envelope;
}

}  // namespace evsim::measurement
