#include "sse_bench_streams.hpp"

namespace evsim::bench {
namespace {

constexpr std::size_t kLargeEventBytes = 64U * 1024U;
constexpr std::size_t kMultilineDataLines = 32;

// A tenths value such as 234 written as "23.4", without going through floating point (whose
// formatting would make the bytes depend on the C library).
std::string tenths(std::size_t value) { return std::to_string(value / 10) + "." + std::to_string(value % 10); }

// One sensor reading as compact JSON, e.g. {"sensor":"t1","value":23.4,"ts":1700000000123}.
// Values vary with `index` so no two neighbouring events are byte-identical.
std::string reading_json(std::size_t index) {
    std::string json = R"({"sensor":"t)";
    json += std::to_string(index % 8 + 1);
    json += R"(","value":)";
    json += tenths(150 + index * 37 % 150);
    json += R"(,"ts":)";
    json += std::to_string(1700000000123ULL + index * 250);
    json += '}';
    return json;
}

// A JSON array of readings padded with insignificant whitespace to exactly kLargeEventBytes.
std::string large_json(std::size_t index) {
    std::string json = "[";
    for (std::size_t i = 0;; ++i) {
        std::string entry = reading_json(index * 4096 + i);
        if (json.size() + entry.size() + 2 > kLargeEventBytes) break;  // keep room for ',' and ']'
        if (i != 0) json += ',';
        json += entry;
    }
    json.resize(kLargeEventBytes - 1, ' ');
    json += ']';
    return json;
}

// A pretty-printed JSON report of kMultilineDataLines lines; one line has non-ASCII text so the
// parser's UTF-8 validation leaves its ASCII fast path now and then, as it does on real payloads.
std::string multiline_json(std::size_t index) {
    constexpr std::size_t kReadings = kMultilineDataLines - 4;  // minus "{", "report", "site", "}"
    std::string json = "{\n";
    json += "  \"report\": " + std::to_string(index) + ",\n";
    json += "  \"site\": \"Z\xC3\xBCrich S\xC3\xBC" "d\",\n";
    for (std::size_t i = 0; i < kReadings; ++i) {
        json += "  \"reading_";
        if (i < 10) json += '0';
        json += std::to_string(i) + "\": " + tenths(150 + (index + i) * 37 % 150);
        json += i + 1 < kReadings ? ",\n" : "\n";
    }
    json += '}';
    return json;
}

}  // namespace

std::string_view to_string(StreamKind kind) {
    switch (kind) {
        case StreamKind::small: return "small";
        case StreamKind::large: return "large";
        case StreamKind::multiline: return "multiline";
        case StreamKind::crlf: return "crlf";
    }
    return "unknown";
}

std::optional<StreamKind> parse_stream_kind(std::string_view name) {
    for (const StreamKind kind : kAllStreamKinds) {
        if (to_string(kind) == name) return kind;
    }
    return std::nullopt;
}

sse::OutgoingEvent make_event(StreamKind kind, std::size_t index) {
    sse::OutgoingEvent event;
    event.id = std::to_string(index);
    switch (kind) {
        case StreamKind::small:
        case StreamKind::crlf:
            event.type = "reading";
            event.data = reading_json(index);
            break;
        case StreamKind::large:
            event.type = "snapshot";
            event.data = large_json(index);
            break;
        case StreamKind::multiline:
            event.type = "report";
            event.data = multiline_json(index);
            break;
    }
    return event;
}

sse::Framing framing_of(StreamKind kind) { return kind == StreamKind::crlf ? sse::Framing::crlf : sse::Framing::lf; }

std::string make_stream(StreamKind kind, std::size_t count) {
    std::string stream;
    const sse::Framing framing = framing_of(kind);
    for (std::size_t i = 0; i < count; ++i) sse::encode(stream, make_event(kind, i), framing);
    return stream;
}

}  // namespace evsim::bench
