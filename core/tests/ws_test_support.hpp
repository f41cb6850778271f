// Shared by the WebSocket reader tests: a handler that writes down everything reported, and
// feeding helpers that split input every possible way.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "evsim/core/ws_reader.hpp"

namespace evsim::ws::test {

class Transcript : public ReaderHandler {
public:
    void on_message(Opcode type, std::string_view payload, bool compressed) override {
        log += std::string(to_string(type)) + (compressed ? "(z)" : "") + "[" + std::string(payload) + "]";
    }
    void on_ping(std::string_view payload) override { log += "ping[" + std::string(payload) + "]"; }
    void on_pong(std::string_view payload) override { log += "pong[" + std::string(payload) + "]"; }
    void on_close(std::optional<std::uint16_t> code, std::string_view reason) override {
        log += "close[" + (code ? std::to_string(*code) : std::string("-")) + ":" + std::string(reason) + "]";
    }
    std::string log;
};

struct Outcome {
    std::string log;
    std::optional<std::uint16_t> failure;  // the close code of the failure
    bool operator==(const Outcome&) const = default;
};

inline void PrintTo(const Outcome& outcome, std::ostream* os) {
    *os << "log=\"" << outcome.log << "\" failure=" << (outcome.failure ? std::to_string(*outcome.failure) : "none");
}

// Feeds `input` in chunks of `chunk` bytes (0: all at once).
inline Outcome read_all(std::string_view input, Peer peer, std::size_t chunk = 0, ReaderLimits limits = {},
                        bool compression = false) {
    Reader reader(peer, limits, compression);
    Transcript transcript;
    Outcome outcome;
    if (chunk == 0) chunk = input.size() + 1;
    for (std::size_t at = 0; at < input.size(); at += chunk) {
        if (auto failure = reader.feed(input.substr(at, chunk), transcript)) {
            outcome.failure = failure->close_code;
            break;
        }
    }
    outcome.log = transcript.log;
    return outcome;
}

inline std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out.push_back(static_cast<char>(v));
    return out;
}

}  // namespace evsim::ws::test
