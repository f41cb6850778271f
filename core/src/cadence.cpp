// The cadences and their validation.
#include "evsim/core/cadence.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <type_traits>

#include "evsim/core/rng.hpp"

namespace evsim::cadence {

namespace {

using std::chrono::nanoseconds;

// A duration for an error message in the largest unit that divides it: "3s", "250ms", "100us", "500ns".
std::string describe(nanoseconds duration) {
    const std::int64_t ns = duration.count();
    if (ns != 0 && ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
    if (ns != 0 && ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
    if (ns != 0 && ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
    return std::to_string(ns) + "ns";
}

// A number for an error message: the shortest text that reads back as `value` ("1e-09", "2.5", "inf").
std::string describe(double value) {
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

constexpr double ns_per_second = 1e9;

class FixedIntervalCadence final : public Cadence {
public:
    explicit FixedIntervalCadence(nanoseconds interval) : interval_(interval) {}
    nanoseconds next_gap() override { return interval_; }

private:
    nanoseconds interval_;
};

// Evenly spaced at a period that is rarely a whole number of nanoseconds (1e9 / 3). The period is kept
// as whole nanoseconds plus a 64-bit binary fraction, and the fractions are accumulated: a gap is one
// nanosecond longer whenever the fraction carries, like Bresenham's line algorithm. Starting the
// accumulator at one half rounds each emission time to the nearest nanosecond instead of truncating.
class RateCadence final : public Cadence {
public:
    explicit RateCadence(double per_second) {
        const double period = ns_per_second / per_second;
        const double whole = std::floor(period);
        whole_ = static_cast<std::int64_t>(whole);
        // period - whole is exact and below 1; scaling by 2^64 is exact too, so the cast cannot overflow.
        fraction_ = static_cast<std::uint64_t>(std::ldexp(period - whole, 64));
    }

    nanoseconds next_gap() override {
        const std::uint64_t before = accumulator_;
        accumulator_ += fraction_;  // unsigned wrap-around is the carry
        return nanoseconds(whole_ + (accumulator_ < before ? 1 : 0));
    }

private:
    std::int64_t whole_ = 0;
    std::uint64_t fraction_ = 0;
    std::uint64_t accumulator_ = std::uint64_t{1} << 63U;
};

class PoissonCadence final : public Cadence {
public:
    PoissonCadence(double per_second, std::uint64_t seed) : engine_(seed), mean_ns_(ns_per_second / per_second) {}

    nanoseconds next_gap() override {
        // Inverse transform sampling: -ln(1 - u) is exponential with mean 1 for u uniform in [0, 1).
        // 1 - u is at least 2^-53, so the logarithm is finite (at most 36.8 means).
        const double u = rng::unit_interval(engine_);
        const double gap = -std::log1p(-u) * mean_ns_;
        return nanoseconds(std::llround(gap));
    }

private:
    std::mt19937_64 engine_;
    double mean_ns_;
};

class BurstsCadence final : public Cadence {
public:
    explicit BurstsCadence(const Bursts& spec) : spec_(spec) {}

    nanoseconds next_gap() override {
        nanoseconds gap;
        if (index_ > 0) {
            gap = offset(index_) - offset(index_ - 1);
        } else if (first_) {
            gap = spec_.every;  // the first burst starts one period after the start, as fixed_interval
            first_ = false;
        } else {
            gap = spec_.every - offset(spec_.count - 1);  // from the previous burst's last event
        }
        index_ = (index_ + 1) % spec_.count;
        return gap;
    }

private:
    // Event k's offset into its burst: floor(k * within / count), computed in parts because
    // k * within can overflow 64 bits (a million events over a year).
    nanoseconds offset(std::int64_t k) const {
        const std::int64_t within = spec_.within.count();
        return nanoseconds(within / spec_.count * k + within % spec_.count * k / spec_.count);
    }

    Bursts spec_;
    std::int64_t index_ = 0;  // of the next event within its burst
    bool first_ = true;
};

void check_duration(std::string_view where, nanoseconds value) {
    if (value < min_interval) {
        throw SpecError(std::string(where) + " must be at least 1us (got " + describe(value) + ")");
    }
    if (value > max_interval) {
        throw SpecError(std::string(where) + " must be at most a year (got " + describe(value) + ")");
    }
}

void check_per_second(std::string_view cadence, double per_second) {
    if (!(per_second > 0 && per_second <= max_per_second)) {
        throw SpecError(std::string(cadence) + ": per_second must be more than 0 and at most 1000000 (got " +
                        describe(per_second) + ")");
    }
    if (per_second < min_per_second) {
        throw SpecError(std::string(cadence) + ": per_second must be at least one per year (got " +
                        describe(per_second) + ")");
    }
}

void check(const FixedInterval& spec) { check_duration("fixed_interval: interval", spec.interval); }
void check(const Rate& spec) { check_per_second("rate", spec.per_second); }
void check(const Poisson& spec) { check_per_second("poisson", spec.per_second); }
void check(const Bursts& spec) {
    if (spec.count < 1 || spec.count > max_burst_count) {
        throw SpecError("bursts: count must be 1..1000000 (got " + std::to_string(spec.count) + ")");
    }
    check_duration("bursts: every", spec.every);
    if (spec.within < nanoseconds::zero()) {
        throw SpecError("bursts: within must not be negative (got " + describe(spec.within) + ")");
    }
    if (spec.within >= spec.every) {
        throw SpecError("bursts: within (" + describe(spec.within) + ") must be shorter than every (" +
                        describe(spec.every) + ")");
    }
}

}  // namespace

void validate(const CadenceSpec& spec) {
    std::visit([](const auto& alternative) { check(alternative); }, spec);
}

std::unique_ptr<Cadence> make_cadence(const CadenceSpec& spec, std::uint64_t seed) {
    validate(spec);
    return std::visit(
        [seed](const auto& alternative) -> std::unique_ptr<Cadence> {
            using Alternative = std::decay_t<decltype(alternative)>;
            if constexpr (std::is_same_v<Alternative, FixedInterval>) {
                return std::make_unique<FixedIntervalCadence>(alternative.interval);
            } else if constexpr (std::is_same_v<Alternative, Rate>) {
                return std::make_unique<RateCadence>(alternative.per_second);
            } else if constexpr (std::is_same_v<Alternative, Poisson>) {
                return std::make_unique<PoissonCadence>(alternative.per_second, seed);
            } else {
                return std::make_unique<BurstsCadence>(alternative);
            }
        },
        spec);
}

}  // namespace evsim::cadence
