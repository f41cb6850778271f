#include "evsim/core/threshold.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "evsim/core/duration.hpp"

namespace evsim::threshold {

namespace {

bool metric_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.';
}

std::string number_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

// The observed value in the threshold's own unit, written as a person would read it.
std::string observed_text(const Threshold& t, double observed) {
    if (std::isnan(observed)) return "no value";
    switch (t.unit) {
        case Unit::duration:
            return observed >= 1000 ? number_text(observed / 1000) + "ms" : number_text(observed) + "us";
        case Unit::percent: return number_text(observed * 100) + "%";
        case Unit::none: return number_text(observed);
    }
    return number_text(observed);
}

}  // namespace

std::string_view to_string(Op op) noexcept {
    switch (op) {
        case Op::less: return "<";
        case Op::less_equal: return "<=";
        case Op::greater: return ">";
        case Op::greater_equal: return ">=";
        case Op::equal: return "==";
        case Op::not_equal: return "!=";
    }
    return "?";
}

Threshold parse(std::string_view text) {
    Threshold t;
    t.text = std::string(text);
    std::size_t i = 0;
    const auto skip_spaces = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    };
    skip_spaces();
    const std::size_t metric_start = i;
    if (i >= text.size() || std::isalpha(static_cast<unsigned char>(text[i])) == 0)
        throw SpecError(i + 1, "expected a metric name like latency.p99");
    while (i < text.size() && metric_char(text[i])) ++i;
    t.metric = std::string(text.substr(metric_start, i - metric_start));
    if (t.metric.back() == '.' || t.metric.find("..") != std::string::npos)
        throw SpecError(metric_start + 1, "metric '" + t.metric + "' has an empty part");
    skip_spaces();

    const std::size_t op_start = i;
    const auto take = [&](std::string_view symbol, Op op) {
        if (text.substr(i, symbol.size()) != symbol) return false;
        t.op = op;
        i += symbol.size();
        return true;
    };
    if (!(take("<=", Op::less_equal) || take(">=", Op::greater_equal) || take("==", Op::equal) ||
          take("!=", Op::not_equal) || take("<", Op::less) || take(">", Op::greater))) {
        throw SpecError(op_start + 1, "expected a comparison (<, <=, >, >=, ==, !=) after '" + t.metric + "'");
    }
    skip_spaces();

    const std::size_t value_start = i;
    std::size_t end = text.size();
    while (end > value_start && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
    const std::string_view value = text.substr(value_start, end - value_start);
    if (value.empty()) throw SpecError(value_start + 1, "expected a value after '" + std::string(to_string(t.op)) + "'");
    if (value.back() == '%') {
        double number = 0;
        const auto [stop, error] = std::from_chars(value.data(), value.data() + value.size() - 1, number);
        if (error != std::errc() || stop != value.data() + value.size() - 1 || !std::isfinite(number))
            throw SpecError(value_start + 1, "'" + std::string(value) + "' is not a percentage like 1% or 0.5%");
        t.value = number / 100;
        t.unit = Unit::percent;
        return t;
    }
    double number = 0;
    const auto [stop, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error == std::errc() && stop == value.data() + value.size() && std::isfinite(number)) {
        t.value = number;
        return t;
    }
    try {
        t.value = static_cast<double>(parse_duration(value).count());
        t.unit = Unit::duration;
    } catch (const DurationError&) {
        throw SpecError(value_start + 1, "'" + std::string(value) +
                                             "' is not a number, a duration (50ms, 2s) or a percentage (1%)");
    }
    return t;
}

Outcome evaluate(const Threshold& t, double observed) {
    bool passed = false;
    if (!std::isnan(observed)) {
        switch (t.op) {
            case Op::less: passed = observed < t.value; break;
            case Op::less_equal: passed = observed <= t.value; break;
            case Op::greater: passed = observed > t.value; break;
            case Op::greater_equal: passed = observed >= t.value; break;
            case Op::equal: passed = observed == t.value; break;
            case Op::not_equal: passed = observed != t.value; break;
        }
    }
    return {passed, t.text + ": " + observed_text(t, observed) + (passed ? "" : " (breached)")};
}

}  // namespace evsim::threshold
