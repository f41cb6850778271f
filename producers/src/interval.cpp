#include "evsim/producers/interval.hpp"

#include <stdexcept>
#include <string>

#include "evsim/core/duration.hpp"

namespace evsim::producers {

std::chrono::milliseconds parse_interval(std::string_view text) {
    using namespace std::chrono_literals;
    const std::chrono::microseconds value = parse_duration(text, BareUnit::milliseconds);
    const auto fail = [&](std::string_view why) {
        return std::invalid_argument("invalid interval '" + std::string(text) + "': " + std::string(why));
    };
    if (value % 1ms != 0us) throw fail("must be a whole number of milliseconds");
    if (value <= 0us) throw fail("must be greater than zero");
    // Longer than a day is almost certainly a unit mistake.
    if (value > std::chrono::microseconds(24h)) throw fail("longer than a day");
    return std::chrono::duration_cast<std::chrono::milliseconds>(value);
}

}  // namespace evsim::producers
