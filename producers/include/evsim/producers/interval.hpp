// The emitters' --interval: any evsim duration ("3s", "500ms", "1.5s", "2m"; a bare number is
// milliseconds) that is a whole number of milliseconds, above zero and at most a day.
#pragma once

#include <chrono>
#include <string_view>

namespace evsim::producers {

// Throws std::invalid_argument (evsim::DurationError for syntax) saying what is wrong.
std::chrono::milliseconds parse_interval(std::string_view text);

}  // namespace evsim::producers
