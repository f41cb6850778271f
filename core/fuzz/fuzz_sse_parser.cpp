// libFuzzer target for the SSE parser and encoder. Invariants checked on every input:
//  - no crash, no sanitizer report, bounded memory (small limits; run with -rss_limit_mb);
//  - chunking never changes the outcome: whole input vs. chunks sized by the input's first byte vs.
//    one byte at a time all report the same observations, last event id and error;
//  - the encoder round-trips: an event built from the input (UTF-8 repaired) encodes to bytes the
//    parser reads back as the same event, data line breaks normalised to LF.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/core/sse_encoder.hpp"
#include "evsim/core/sse_parser.hpp"
#include "evsim/core/utf8.hpp"

namespace {

using evsim::sse::Event;
using evsim::sse::ParseError;
using evsim::sse::Parser;
using evsim::sse::ParserLimits;

// Everything reported, flattened into one string so outcomes compare with ==.
class Transcript : public evsim::sse::ParserHandler {
public:
    void on_event(const Event& e) override {
        log += "E" + std::to_string(e.type.size()) + ":" + std::string(e.type) + std::to_string(e.data.size()) + ":" +
               std::string(e.data) + std::to_string(e.last_event_id.size()) + ":" + std::string(e.last_event_id);
        if (!evsim::utf8::is_valid(e.data) || !evsim::utf8::is_valid(e.type) || !evsim::utf8::is_valid(e.last_event_id)) {
            std::abort();  // the parser promises valid UTF-8 in everything it dispatches
        }
    }
    void on_retry(std::uint64_t ms) override { log += "R" + std::to_string(ms); }
    void on_comment(std::string_view text) override { log += "C" + std::to_string(text.size()) + ":" + std::string(text); }
    std::string log;
};

constexpr ParserLimits kLimits{256, 1024};

std::string run(std::string_view input, std::size_t chunk) {
    Transcript transcript;
    Parser parser(transcript, kLimits);
    for (std::size_t pos = 0; pos < input.size(); pos += chunk) parser.feed(input.substr(pos, chunk));
    parser.end_of_stream();
    return transcript.log + "|" + parser.last_event_id() + "|" + std::string(evsim::sse::to_string(parser.error()));
}

void check_round_trip(std::string_view input) {
    // Split the input into type | id | data at the first two 0x01 bytes.
    const std::size_t a = input.find('\x01');
    const std::size_t b = a == std::string_view::npos ? a : input.find('\x01', a + 1);
    if (b == std::string_view::npos) return;
    evsim::sse::OutgoingEvent event;
    event.type = evsim::utf8::repaired(input.substr(0, a));
    event.id = evsim::utf8::repaired(input.substr(a + 1, b - a - 1));
    event.data = evsim::utf8::repaired(input.substr(b + 1));
    std::string wire;
    try {
        wire = evsim::sse::encode(event);
    } catch (const evsim::sse::EncodeError&) {
        return;  // line breaks or NUL where none may be: rightly refused
    }
    Transcript transcript;
    Parser parser(transcript, ParserLimits{1U << 20U, 1U << 20U});
    parser.feed(wire);
    Transcript expected;
    const std::string type = event.type->empty() ? "message" : *event.type;
    const std::string data = evsim::sse::normalize_newlines(*event.data);
    expected.on_event(Event{type, data, *event.id});
    if (transcript.log != expected.log) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(bytes), size);
    const std::string whole = run(input, input.size() + 1);
    const std::size_t chunk = size == 0 ? 1 : 1 + static_cast<std::size_t>(bytes[0] % 17);
    if (run(input, chunk) != whole) std::abort();
    if (size <= 512 && run(input, 1) != whole) std::abort();
    check_round_trip(input);
    return 0;
}
