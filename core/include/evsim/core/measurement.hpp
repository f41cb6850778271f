// Measurement metadata: the sequence number and send time a producer attaches to each event when a
// scenario asks for it, so the load generator can measure latency, loss, duplicates and reordering.
//
// Two carriers, both written and read here so producers and clients never disagree:
// - an SSE `id`: "<seq>.<sent_us>", e.g. "12.1763900000123456" (an id is resumable text, and the
//   sequence comes first so Last-Event-ID replay can find it);
// - a JSON envelope around the payload, for WebSocket, fetch, file and SSE without measurement ids:
//   {"evsim_seq":12,"evsim_sent_us":1763900000123456,"data":<payload>}. The fields come first and in
//   this order, so a reader checks a fixed prefix and two integers instead of parsing JSON.
// `sent_us` is Unix time in microseconds from the producer's system clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evsim::measurement {

struct Stamp {
    std::uint64_t seq = 0;     // 1 for a producer's first event
    std::int64_t sent_us = 0;  // Unix time, microseconds

    friend bool operator==(const Stamp&, const Stamp&) = default;
};

// Appends "<seq>.<sent_us>".
void append_id(std::string& out, Stamp stamp);

// The stamp in an id written by append_id; nullopt for anything else (no partial matches).
std::optional<Stamp> parse_id(std::string_view id) noexcept;

// How the payload goes into the envelope's "data": as it is (it is JSON already: a number or a
// document) or as a JSON string (text).
enum class DataForm { json, text };

// Appends `data` as a JSON value: as it is, or as a quoted, escaped JSON string.
void append_json_value(std::string& out, std::string_view data, DataForm form);

// Appends the envelope around `data`.
void append_envelope(std::string& out, Stamp stamp, std::string_view data, DataForm form);

struct Envelope {
    Stamp stamp;
    std::string_view data;  // the JSON text of "data", a view into the parsed text
};

// The stamp and data of an envelope written by append_envelope; nullopt when `text` does not start
// with the envelope's fields or does not end with '}'. The data's JSON is not validated.
std::optional<Envelope> parse_envelope(std::string_view text) noexcept;

}  // namespace evsim::measurement
