// MIME type checks on response headers, as the Fetch and MIME Sniffing standards define them
// (type and subtype are case-insensitive tokens; parameters after ';' do not change the essence).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace evsim::loadgen {

// The lower-cased "type/subtype" of a Content-Type value, or nothing when it is not a valid MIME type.
std::optional<std::string> mime_essence(std::string_view content_type);

// True when an EventSource may read a response with this Content-Type: its essence is text/event-stream.
bool is_event_stream(std::string_view content_type);

}  // namespace evsim::loadgen
