#include "control_faults.hpp"

#include <boost/json.hpp>
#include <optional>

#include "evsim/core/duration.hpp"

namespace evsim::producers {

namespace json = boost::json;
using faults::Kind;

namespace {


std::string text_of(const json::string& s) { return std::string(s.data(), s.size()); }

// A duration as "250ms"/"2s" or a number of milliseconds; nullopt when it is neither. Numbers go
// through parse_duration too, so both forms have its bound (a year) and nothing overflows later
// (a stall's end is `now + duration` in nanoseconds).
std::optional<std::chrono::microseconds> duration_of(const json::value& value) {
    std::string text;
    if (value.is_string()) {
        text = text_of(value.as_string());
    } else if (value.is_int64() && value.as_int64() >= 0) {
        text = std::to_string(value.as_int64());  // a bare number: milliseconds
    } else if (value.is_uint64()) {
        text = std::to_string(value.as_uint64());
    } else {
        return std::nullopt;
    }
    try {
        return parse_duration(text);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

std::optional<std::int64_t> integer_of(const json::value& value) {
    if (value.is_int64()) return value.as_int64();
    if (value.is_uint64() && value.as_uint64() <= INT64_MAX) return static_cast<std::int64_t>(value.as_uint64());
    return std::nullopt;
}

}  // namespace

std::variant<faults::FaultSpec, std::string> parse_fault_body(std::string_view body, std::string_view producer_type) {
    boost::system::error_code error;
    const auto parsed = json::parse(body, error);
    if (error) return "body is not valid JSON: " + error.message();
    if (!parsed.is_object()) return std::string(R"(body must be a JSON object like {"kind":"close"})");
    const auto& object = parsed.as_object();
    const auto* kind = object.if_contains("kind");
    if (!kind || !kind->is_string()) return std::string(R"(missing string field "kind")");
    const auto parsed_kind = faults::parse_kind(std::string_view(kind->as_string().data(), kind->as_string().size()));
    if (!parsed_kind) return "unknown kind '" + text_of(kind->as_string()) + "'";
    faults::FaultSpec fault;
    fault.kind = *parsed_kind;
    fault.trigger.after = 1;  // "now" for the checks; the producer applies it at once
    if (fault.kind == Kind::malformed)
        fault.bytes = producer_type == "ws" ? faults::default_malformed_ws() : faults::default_malformed_sse();
    if (fault.kind == Kind::redirect) fault.status = 307;
    for (const auto& field : object) {
        const std::string key(field.key().data(), field.key().size());
        const auto& value = field.value();
        const std::string bad = "field \"" + key + "\" has the wrong type or value";
        if (key == "kind") continue;
        if (key == "duration" || key == "gap") {
            const auto duration = duration_of(value);
            if (!duration) return bad + " (a duration like \"250ms\" or milliseconds)";
            (key == "duration" ? fault.duration : fault.gap) = *duration;
        } else if (key == "chunk" || key == "status" || key == "close_code") {
            const auto number = integer_of(value);
            if (!number || *number < 0 || *number > 65536) return bad + " (an integer)";
            if (key == "chunk") fault.chunk = static_cast<std::size_t>(*number);
            if (key == "status") fault.status = static_cast<int>(*number);
            if (key == "close_code") fault.close_code = static_cast<std::uint16_t>(*number);
        } else if (key == "location" || key == "content_type" || key == "bytes") {
            if (!value.is_string()) return bad + " (a string)";
            (key == "location" ? fault.location : key == "content_type" ? fault.content_type : fault.bytes) =
                text_of(value.as_string());
        } else if (key == "at_bytes") {
            if (!value.is_array() || value.as_array().size() > 1000) return bad + " (a list of byte positions)";
            for (const auto& item : value.as_array()) {
                const auto number = integer_of(item);
                if (!number || *number < 1) return bad + " (a list of byte positions)";
                fault.at_bytes.push_back(static_cast<std::size_t>(*number));
            }
        } else {
            return "unknown field \"" + key + "\"";
        }
    }
    try {
        faults::validate(fault, producer_type);
    } catch (const faults::SpecError& e) {
        return std::string(e.what());
    }
    return fault;
}

}  // namespace evsim::producers
