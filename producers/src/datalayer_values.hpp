// Values and times as the controller's data layer writes them in its events: a node's value as the
// JSON its type gives (whole numbers for the integer types, true/false for bool8, a string for
// string), and timestamps as Windows FILETIME (100-nanosecond ticks since 1601-01-01 UTC).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "evsim/core/scenario.hpp"

namespace evsim::producers {

std::int64_t filetime(std::chrono::system_clock::time_point time) noexcept;

// The JSON of `text` (a generator's output or a value pushed through the control API) as a value of
// `type`: numbers are rounded and clamped to the integer types' ranges, bool8 is whether the number
// is not 0, string quotes the text. Nullopt when a numeric type gets text that is not a number.
std::optional<std::string> datalayer_value_json(scenario::DatalayerType type, std::string_view text);

}  // namespace evsim::producers
