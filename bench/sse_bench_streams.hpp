// The SSE streams the benchmarks parse, built with evsim's own encoder.
//
// Both the in-process codec benchmark and the cross-implementation comparison (which writes them to
// files with `evsim_parse_file --generate`) use these, so every figure is measured on the same shapes
// of traffic. The content is deterministic: the same kind and count always give the same bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "evsim/core/sse_encoder.hpp"

namespace evsim::bench {

enum class StreamKind {
    small,      // sensor readings: `event:`, `id:` and one short JSON `data:` line each, LF framed
    large,      // one 64 KiB JSON `data:` line per event: snapshots, bulk payloads
    multiline,  // pretty-printed JSON documents: 32 `data:` lines per event, some non-ASCII text
    crlf,       // the small events again, CRLF framed
};

inline constexpr StreamKind kAllStreamKinds[] = {StreamKind::small, StreamKind::large, StreamKind::multiline,
                                                 StreamKind::crlf};

std::string_view to_string(StreamKind kind);
std::optional<StreamKind> parse_stream_kind(std::string_view name);

// The `index`-th event of a stream of `kind`.
sse::OutgoingEvent make_event(StreamKind kind, std::size_t index);

sse::Framing framing_of(StreamKind kind);

// `count` events of `kind`, encoded back to back; every event is complete (ends with its blank line).
std::string make_stream(StreamKind kind, std::size_t count);

}  // namespace evsim::bench
