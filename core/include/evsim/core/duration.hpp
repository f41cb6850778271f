// Durations as users write them on command lines and in scenarios: "250ms", "3s", "1.5s", "2m", "1h",
// "100us"; a bare number means `bare_unit`.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string_view>

namespace evsim {

class DurationError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

enum class BareUnit { milliseconds, seconds };

// Throws DurationError with a message naming the text and the accepted forms. Negative values,
// unknown units, empty text and values over a year are rejected.
std::chrono::microseconds parse_duration(std::string_view text, BareUnit bare_unit = BareUnit::milliseconds);

}  // namespace evsim
