// Fault injection: what a producer does wrong on purpose, and when, so that users can test their
// clients' resilience (and the conformance checker can drive clients through every failure).
//
// A fault is a kind (what happens), its parameters, a trigger (when) and a scope (to whom). The
// model is plain structs; the scenario loader reads them from a producer's `faults:` list
// (docs/scenarios.md), the control API builds one to inject at once. FaultClock decides when a
// trigger fires from counts, elapsed time and a seeded random stream: it has no sockets and no
// timers, so every producer (and its tests) uses the same decisions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace evsim::faults {

enum class Kind {
    // On streaming connections (SSE, WebSocket), after an event was written:
    close,      // end the connection: SSE closes the socket (FIN); WebSocket sends a close frame with `close_code`
    reset,      // abort the connection with a TCP reset (RST)
    stall,      // write nothing for `duration` (events queue up, bounded as always)
    drip,       // for `duration`, write `chunk` bytes at a time, `gap` apart
    split,      // write the next event in pieces, cut at `at_bytes`, `gap` apart
    malformed,  // write `bytes` (SSE: raw bytes; WebSocket: a text frame of invalid UTF-8) before the next event
    // On requests (an SSE stream opening, a WebSocket upgrade, a fetch request), instead of the answer:
    status,        // answer `status` (any 2xx..5xx; 204 is "no content" for EventSource) with a short body
    redirect,      // answer `status` (301, 302, 303, 307 or 308) with `Location: location`
    content_type,  // the normal answer with `Content-Type: content_type` (SSE: the stream itself)
    // On FILE producers, instead of the next write:
    torn_write,  // rewrite the file in place in two halves, `duration` apart
};

// "close", "reset", ... as written in a scenario; parse_kind is its inverse (nullopt for other text).
std::string_view to_string(Kind kind) noexcept;
std::optional<Kind> parse_kind(std::string_view text) noexcept;
// Stream faults act on connections, request faults on requests, torn_write on files.
bool is_stream_fault(Kind kind) noexcept;
bool is_request_fault(Kind kind) noexcept;

// When a fault fires. Exactly one of after/every/at/probability is set (the loader checks it).
struct Trigger {
    std::optional<std::uint64_t> after;           // once, at the Nth event (or request), N >= 1
    std::optional<std::uint64_t> every;           // at every Nth event (or request), N >= 1
    std::optional<std::chrono::microseconds> at;  // once, this long after the producer (or connection) started
    std::optional<double> probability;            // each event (or request) independently, 0 < p <= 1
    std::uint64_t times = 0;                      // at most this many firings; 0: no limit
};

enum class Scope {
    connection,  // counts events per connection and faults that connection (requests: per producer anyway)
    producer,    // counts the producer's events and faults every connection at once
};

struct FaultSpec {
    Kind kind = Kind::close;
    Scope scope = Scope::connection;
    Trigger trigger;
    std::chrono::microseconds duration = std::chrono::seconds(5);      // stall, drip, torn_write
    std::chrono::microseconds gap = std::chrono::milliseconds(100);    // drip, split
    std::size_t chunk = 1;                                              // drip: bytes per write
    std::vector<std::size_t> at_bytes;                                  // split: cut positions, ascending
    std::string bytes;                                                  // malformed
    int status = 503;                                                   // status, redirect
    std::string location = "/";                                         // redirect
    std::string content_type = "text/plain";                            // content_type
    std::uint16_t close_code = 1000;                                    // close on WebSocket
};

class SpecError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Checks one fault: one trigger, parameters in range ("stall: duration must be longer than 0").
// `producer_type` ("sse", "ws", "fetch", "file") rejects kinds that cannot apply to it.
void validate(const FaultSpec& fault, std::string_view producer_type);

// The default bytes of `malformed` for SSE: a line of invalid UTF-8, a bare CR inside a field, a
// non-numeric retry, a NUL in an id and a field without a colon, then a blank line. A conformant
// client (WHATWG parsing rules) dispatches exactly one event, of type "bare" with the data
// "\uFFFD\uFFFD invalid UTF-8", keeps its last event id and retry time, and keeps the stream.
std::string default_malformed_sse();

// The default bytes of `malformed` for WebSocket: a text frame whose payload is not UTF-8 (a
// 2-byte lead followed by a non-continuation byte), which RFC 6455 section 8.1 makes the client fail
// the connection with 1007.
std::string default_malformed_ws();

// Decides when one fault fires, for one scope unit (a connection, or the producer). Not
// thread-safe; one per unit.
class FaultClock {
public:
    FaultClock(const Trigger& trigger, std::uint64_t seed);

    // Counts one event (or request) and says whether the fault fires on it.
    bool count();
    // Whether an `at` trigger is due at `elapsed` since the unit started (true once).
    bool due(std::chrono::microseconds elapsed);

    std::uint64_t fired() const noexcept { return fired_; }

private:
    bool fire();

    Trigger trigger_;
    std::mt19937_64 engine_;
    std::uint64_t counted_ = 0;
    std::uint64_t fired_ = 0;
};

}  // namespace evsim::faults
