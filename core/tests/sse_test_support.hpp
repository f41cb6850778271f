// Test support: records everything an sse::Parser reports, in a form that compares and prints well.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/core/sse_parser.hpp"

namespace evsim::sse::testing {

struct Observation {
    enum class Kind { event, retry, comment };
    Kind kind = Kind::event;
    std::string type;           // event
    std::string data;           // event data, or comment text
    std::string last_event_id;  // event
    std::uint64_t retry = 0;    // retry

    friend bool operator==(const Observation&, const Observation&) = default;
};

inline Observation message(std::string data, std::string id = "", std::string type = "message") {
    return {Observation::Kind::event, std::move(type), std::move(data), std::move(id), 0};
}
inline Observation retry(std::uint64_t ms) { return {Observation::Kind::retry, "", "", "", ms}; }
inline Observation comment(std::string text) { return {Observation::Kind::comment, "", std::move(text), "", 0}; }

inline std::string escaped(std::string_view s) {
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (u < 0x20 || u >= 0x7F) {
            static constexpr char hex[] = "0123456789ABCDEF";
            out += "\\x";
            out += hex[u >> 4U];
            out += hex[u & 0xFU];
        } else out += c;
    }
    return out;
}

inline std::ostream& operator<<(std::ostream& os, const Observation& o) {
    switch (o.kind) {
        case Observation::Kind::event:
            return os << "event{type=\"" << escaped(o.type) << "\", data=\"" << escaped(o.data) << "\", id=\""
                      << escaped(o.last_event_id) << "\"}";
        case Observation::Kind::retry: return os << "retry{" << o.retry << "}";
        case Observation::Kind::comment: return os << "comment{\"" << escaped(o.data) << "\"}";
    }
    return os;
}

class Recorder : public ParserHandler {
public:
    void on_event(const Event& e) override {
        seen.push_back({Observation::Kind::event, std::string(e.type), std::string(e.data),
                        std::string(e.last_event_id), 0});
    }
    void on_retry(std::uint64_t ms) override { seen.push_back(retry(ms)); }
    void on_comment(std::string_view text) override { seen.push_back(comment(std::string(text))); }

    std::vector<Observation> seen;
};

// Everything one parse of `chunks` reports, ending with the end of the stream.
struct ParseOutcome {
    std::vector<Observation> seen;
    std::string last_event_id;
    ParseError error = ParseError::none;
    friend bool operator==(const ParseOutcome&, const ParseOutcome&) = default;
};

inline std::ostream& operator<<(std::ostream& os, const ParseOutcome& o) {
    os << "{";
    for (const auto& obs : o.seen) os << obs << ", ";
    return os << "last_event_id=\"" << escaped(o.last_event_id) << "\", error=" << to_string(o.error) << "}";
}

inline ParseOutcome parse_chunks(const std::vector<std::string_view>& chunks, ParserLimits limits = {}) {
    Recorder recorder;
    Parser parser(recorder, limits);
    for (const auto chunk : chunks) parser.feed(chunk);
    parser.end_of_stream();
    return {recorder.seen, parser.last_event_id(), parser.error()};
}

inline ParseOutcome parse_whole(std::string_view bytes, ParserLimits limits = {}) {
    return parse_chunks({bytes}, limits);
}

}  // namespace evsim::sse::testing
