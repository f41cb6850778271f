#include "evsim/core/duration.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace evsim {

std::chrono::microseconds parse_duration(std::string_view text, BareUnit bare_unit) {
    const auto error = [&](std::string_view why) {
        return DurationError("invalid duration '" + std::string(text) + "': " + std::string(why) +
                             " (examples: 250ms, 3s, 1.5s, 2m, 1h)");
    };
    std::size_t digits_end = 0;
    while (digits_end < text.size() && ((text[digits_end] >= '0' && text[digits_end] <= '9') || text[digits_end] == '.')) {
        ++digits_end;
    }
    const std::string_view number = text.substr(0, digits_end);
    const std::string_view unit = text.substr(digits_end);
    if (number.empty()) throw error("expected a number");
    double value = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || ptr != number.data() + number.size()) throw error("expected a number");

    double micros_per_unit = 0;
    if (unit.empty()) {
        micros_per_unit = bare_unit == BareUnit::seconds ? 1e6 : 1e3;
    } else if (unit == "us") {
        micros_per_unit = 1;
    } else if (unit == "ms") {
        micros_per_unit = 1e3;
    } else if (unit == "s") {
        micros_per_unit = 1e6;
    } else if (unit == "m" || unit == "min") {
        micros_per_unit = 60e6;
    } else if (unit == "h") {
        micros_per_unit = 3600e6;
    } else {
        throw error("unknown unit '" + std::string(unit) + "' (use us, ms, s, m or h)");
    }
    const double micros = value * micros_per_unit;
    constexpr double kYear = 365.0 * 24 * 3600e6;
    if (!std::isfinite(micros) || micros > kYear) throw error("longer than a year");
    return std::chrono::microseconds(static_cast<std::int64_t>(std::llround(micros)));
}

}  // namespace evsim
