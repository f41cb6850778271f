// Emission cadences: when a producer emits its next event.
//
// A cadence is a sequence of gaps, computed without looking at a clock, so it is testable without
// sleeping. A timer-driven producer keeps an absolute deadline and advances it by next_gap() after
// every emission (deadline = start + gap0, then deadline += gap1, ...), which keeps the long-run rate
// exact however late each wake-up is. Poisson gaps come from std::mt19937_64 through a bits-to-double
// mapping written here (not std::exponential_distribution, whose output differs between standard
// libraries). docs/generators.md describes every cadence.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <variant>

namespace evsim::cadence {

// Thrown by make_cadence/validate/parse_cadence; the message names the cadence, the parameter and the
// problem, e.g. "bursts: within (5s) must be shorter than every (5s)".
class SpecError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Limits that make_cadence enforces.
inline constexpr std::chrono::nanoseconds min_interval = std::chrono::microseconds(1);
inline constexpr std::chrono::nanoseconds max_interval = std::chrono::hours(24 * 365);  // as parse_duration
inline constexpr double max_per_second = 1'000'000;
inline constexpr double min_per_second = 1.0 / (365.0 * 24 * 3600);  // one per year
inline constexpr std::int64_t max_burst_count = 1'000'000;

// fixed_interval: one event every `interval`; the first one `interval` after the start (like the
// reference emitters' timer).
struct FixedInterval {
    std::chrono::nanoseconds interval = std::chrono::seconds(3);
};

// rate: `per_second` events per second, evenly spaced. Emission n (from 1) is at round(n * 1e9 /
// per_second) ns after the start, so gaps differ by at most 1 ns and never drift (3/s: 333333333,
// 333333334, 333333333 ns, ...).
struct Rate {
    double per_second = 1;
};

// poisson: a Poisson process with mean `per_second`: independent, exponentially distributed gaps.
struct Poisson {
    double per_second = 1;
};

// bursts: `count` events evenly spaced over `within` (event k at k * within / count into the burst),
// one burst every `every`; the first burst starts `every` after the start, so bursts {1, _, T} is
// fixed_interval {T}. `within` 0 sends the whole burst at once.
struct Bursts {
    std::int64_t count = 10;
    std::chrono::nanoseconds within = std::chrono::milliseconds(100);
    std::chrono::nanoseconds every = std::chrono::seconds(5);
};

using CadenceSpec = std::variant<FixedInterval, Rate, Poisson, Bursts>;

class Cadence {
public:
    virtual ~Cadence() = default;

    // The time from the previous emission (or from the start, for the first call) to the next one.
    // Never negative; may be zero (inside a burst with `within` 0).
    virtual std::chrono::nanoseconds next_gap() = 0;
};

// Checks `spec` and builds its cadence; throws SpecError. `seed` only matters for poisson: the same
// seed gives the same gaps.
std::unique_ptr<Cadence> make_cadence(const CadenceSpec& spec, std::uint64_t seed = 0);

// Throws SpecError when make_cadence would.
void validate(const CadenceSpec& spec);

// The command-line form: "every 3s", "rate 100/s", "poisson 50/s", "burst 10 in 100ms every 5s".
// Durations are evsim::parse_duration's (a bare number is milliseconds); rates are a number over s, m
// (or min) or h: "rate 2.5/s", "rate 90/m". Tokens are separated by spaces. The result is validated.
// Throws SpecError("invalid cadence '<text>': <why> (forms: ...)").
CadenceSpec parse_cadence(std::string_view text);

}  // namespace evsim::cadence
