// The scalar generators: random_int, random_float, random_walk, sine, counter, constant.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "payload_detail.hpp"
#include "evsim/core/rng.hpp"

namespace evsim::payload::detail {
namespace {

class RandomIntGenerator final : public Generator {
public:
    RandomIntGenerator(const RandomInt& spec, std::uint64_t seed)
        : engine_(seed),
          low_(static_cast<std::uint64_t>(spec.min)),
          // max - min + 1 in unsigned arithmetic: exact for every pair, 0 (the full range) for
          // [INT64_MIN, INT64_MAX].
          span_(static_cast<std::uint64_t>(spec.max) - static_cast<std::uint64_t>(spec.min) + 1) {}

    void next(std::string& out) override {
        // Modular arithmetic lands back in [min, max]; the conversion to int64 is exact (C++20).
        append_int(out, static_cast<std::int64_t>(low_ + rng::uniform_below(engine_, span_)));
    }
    ValueKind kind() const noexcept override { return ValueKind::number; }
    std::size_t max_size() const noexcept override { return max_int_chars; }

private:
    std::mt19937_64 engine_;
    std::uint64_t low_;
    std::uint64_t span_;
};

class RandomFloatGenerator final : public Generator {
public:
    RandomFloatGenerator(const RandomFloat& spec, std::uint64_t seed) : engine_(seed), spec_(spec) {}

    void next(std::string& out) override {
        const double value = spec_.min + rng::unit_interval(engine_) * (spec_.max - spec_.min);
        // The product can round up to exactly max - min; keep the documented [min, max] promise.
        append_fixed(out, std::min(value, spec_.max), spec_.decimals);
    }
    ValueKind kind() const noexcept override { return ValueKind::number; }
    std::size_t max_size() const noexcept override { return max_fixed_chars(spec_.decimals); }

private:
    std::mt19937_64 engine_;
    RandomFloat spec_;
};

class RandomWalkGenerator final : public Generator {
public:
    RandomWalkGenerator(const RandomWalk& spec, std::uint64_t seed)
        : engine_(seed), spec_(spec), value_(spec.start) {}

    void next(std::string& out) override {
        // The first call reports `start` itself, so a scenario's chart begins where it says.
        if (started_) {
            const double change = (2 * rng::unit_interval(engine_) - 1) * spec_.step;  // [-step, step)
            value_ = std::clamp(value_ + change, spec_.min, spec_.max);
        }
        started_ = true;
        append_fixed(out, value_, spec_.decimals);
    }
    ValueKind kind() const noexcept override { return ValueKind::number; }
    std::size_t max_size() const noexcept override { return max_fixed_chars(spec_.decimals); }

private:
    std::mt19937_64 engine_;
    RandomWalk spec_;
    double value_;
    bool started_ = false;
};

class SineGenerator final : public Generator {
public:
    explicit SineGenerator(const Sine& spec) : spec_(spec) {}

    void next(std::string& out) override {
        // The position within the cycle comes from an integer counter taken modulo the period, so the
        // values repeat exactly every period however long the generator runs.
        const double cycle = static_cast<double>(call_) / static_cast<double>(spec_.period) + spec_.phase;
        const double value = spec_.offset + spec_.amplitude * std::sin(2 * std::numbers::pi * cycle);
        call_ = (call_ + 1) % spec_.period;
        append_fixed(out, value, spec_.decimals);
    }
    ValueKind kind() const noexcept override { return ValueKind::number; }
    std::size_t max_size() const noexcept override { return max_fixed_chars(spec_.decimals); }

private:
    Sine spec_;
    std::int64_t call_ = 0;
};

class CounterGenerator final : public Generator {
public:
    explicit CounterGenerator(const Counter& spec)
        : value_(static_cast<std::uint64_t>(spec.start)), step_(static_cast<std::uint64_t>(spec.step)) {}

    void next(std::string& out) override {
        append_int(out, static_cast<std::int64_t>(value_));
        value_ += step_;  // unsigned: wraps around instead of signed overflow (undefined behaviour)
    }
    ValueKind kind() const noexcept override { return ValueKind::number; }
    std::size_t max_size() const noexcept override { return max_int_chars; }

private:
    std::uint64_t value_;
    std::uint64_t step_;
};

class ConstantGenerator final : public Generator {
public:
    explicit ConstantGenerator(std::string text) : text_(std::move(text)) {}

    void next(std::string& out) override { out += text_; }
    ValueKind kind() const noexcept override { return ValueKind::text; }
    std::size_t max_size() const noexcept override { return text_.size(); }

private:
    std::string text_;
};

void check_order(std::string_view generator, const std::string& min, const std::string& max, bool ordered) {
    if (ordered) return;
    throw SpecError(std::string(generator) + ": min (" + min + ") must not be greater than max (" + max + ")");
}

}  // namespace

std::unique_ptr<Generator> make_scalar(const RandomInt& spec, std::uint64_t seed) {
    check_order("random_int", describe(spec.min), describe(spec.max), spec.min <= spec.max);
    return std::make_unique<RandomIntGenerator>(spec, seed);
}

std::unique_ptr<Generator> make_scalar(const RandomFloat& spec, std::uint64_t seed) {
    check_real("random_float", "min", spec.min);
    check_real("random_float", "max", spec.max);
    check_order("random_float", describe(spec.min), describe(spec.max), spec.min <= spec.max);
    check_decimals("random_float", spec.decimals);
    return std::make_unique<RandomFloatGenerator>(spec, seed);
}

std::unique_ptr<Generator> make_scalar(const RandomWalk& spec, std::uint64_t seed) {
    check_real("random_walk", "start", spec.start);
    check_real("random_walk", "step", spec.step);
    check_real("random_walk", "min", spec.min);
    check_real("random_walk", "max", spec.max);
    check_order("random_walk", describe(spec.min), describe(spec.max), spec.min <= spec.max);
    if (!(spec.step > 0)) {
        throw SpecError("random_walk: step must be greater than 0 (got " + describe(spec.step) +
                        "; use constant for a value that never changes)");
    }
    if (spec.start < spec.min || spec.start > spec.max) {
        throw SpecError("random_walk: start (" + describe(spec.start) + ") must be between min (" +
                        describe(spec.min) + ") and max (" + describe(spec.max) + ")");
    }
    check_decimals("random_walk", spec.decimals);
    return std::make_unique<RandomWalkGenerator>(spec, seed);
}

std::unique_ptr<Generator> make_scalar(const Sine& spec, std::uint64_t /*seed: nothing random*/) {
    check_real("sine", "amplitude", spec.amplitude);
    check_real("sine", "offset", spec.offset);
    if (spec.period < 1) {
        throw SpecError("sine: period must be at least 1 call (got " + describe(spec.period) + ")");
    }
    if (!(spec.phase >= 0 && spec.phase < 1)) {
        throw SpecError("sine: phase must be in [0, 1), a fraction of a period (got " + describe(spec.phase) + ")");
    }
    check_decimals("sine", spec.decimals);
    return std::make_unique<SineGenerator>(spec);
}

std::unique_ptr<Generator> make_scalar(const Counter& spec, std::uint64_t /*seed: nothing random*/) {
    return std::make_unique<CounterGenerator>(spec);
}

std::unique_ptr<Generator> make_scalar(const Constant& spec, std::uint64_t /*seed: nothing random*/) {
    if (spec.text.size() > max_output_bytes) {
        throw SpecError("constant: text is " + std::to_string(spec.text.size()) + " bytes (limit " +
                        std::to_string(max_output_bytes) + ")");
    }
    check_utf8("constant: text", spec.text);
    return std::make_unique<ConstantGenerator>(spec.text);
}

}  // namespace evsim::payload::detail
