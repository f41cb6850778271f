// Pass/fail criteria of a load run, as a scenario writes them: `latency.p99 < 50ms`,
// `events.lost == 0`, `connect.failed.rate < 1%`. A threshold is a metric name, a comparison and a
// value; the value may carry a duration unit (us, ms, s, m, h: the metric is then compared in
// microseconds) or a percent sign (compared as a fraction). Which metrics exist is the load
// generator's business: this parses, checks the form and compares.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace evsim::threshold {

// A malformed threshold; `column` (1-based) points into the text.
class SpecError : public std::invalid_argument {
public:
    SpecError(std::size_t column, const std::string& message)
        : std::invalid_argument(message), column_(column) {}
    std::size_t column() const noexcept { return column_; }

private:
    std::size_t column_;
};

enum class Op { less, less_equal, greater, greater_equal, equal, not_equal };
enum class Unit { none, duration, percent };

struct Threshold {
    std::string text;    // as written, for reports
    std::string metric;  // "latency.p99"
    Op op = Op::less;
    double value = 0;    // durations in microseconds, percents as fractions
    Unit unit = Unit::none;
};

// Parses "METRIC OP VALUE". METRIC: letters, digits, '_' and '.' (so "latency.p99.9"), starting
// with a letter; OP: < <= > >= == !=; VALUE: a number, optionally followed by a duration unit or
// '%'. Throws SpecError.
Threshold parse(std::string_view text);

struct Outcome {
    bool passed = false;
    std::string message;  // "latency.p99 < 50ms: 12.3ms" / "... (breached)"
};

// Compares the metric's observed value (in the threshold's unit: microseconds for durations, a
// fraction for percents) with the threshold. NaN never passes.
Outcome evaluate(const Threshold& threshold, double observed);

std::string_view to_string(Op op) noexcept;

}  // namespace evsim::threshold
