// Percent-encoding of URL path segments (RFC 3986 section 2.1), for names and tokens that travel
// in a path: the control API's producer names, the eventsource-lib dialect's tokens and actions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace evsim::percent {

// Every byte but the unreserved characters (letters, digits, - _ . ~) as %XX.
std::string encode_segment(std::string_view text);

// %XX sequences decoded; nullopt for a '%' not followed by two hex digits.
std::optional<std::string> decode(std::string_view text);

}  // namespace evsim::percent
