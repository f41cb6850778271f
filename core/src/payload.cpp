// make_generator: dispatch over the spec variant, nesting limits, seeds for template fields.
#include "evsim/core/payload.hpp"

#include <string>
#include <type_traits>

#include "payload_detail.hpp"
#include "evsim/core/rng.hpp"

namespace evsim::payload {

NestedSpec::NestedSpec() : spec_(std::make_unique<GeneratorSpec>()) {}
NestedSpec::NestedSpec(GeneratorSpec spec) : spec_(std::make_unique<GeneratorSpec>(std::move(spec))) {}
NestedSpec::NestedSpec(const NestedSpec& other) : spec_(std::make_unique<GeneratorSpec>(*other.spec_)) {}
NestedSpec::NestedSpec(NestedSpec&& other) noexcept = default;
NestedSpec& NestedSpec::operator=(const NestedSpec& other) {
    if (this != &other) spec_ = std::make_unique<GeneratorSpec>(*other.spec_);
    return *this;
}
NestedSpec& NestedSpec::operator=(NestedSpec&& other) noexcept = default;
NestedSpec::~NestedSpec() = default;

std::uint64_t field_seed(std::uint64_t seed, std::string_view field_name) noexcept {
    // FNV-1a: a fixed, documented hash (std::hash differs between standard libraries and runs).
    std::uint64_t hash = 0xCBF29CE484222325ULL;
    for (const char c : field_name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001B3ULL;
    }
    return rng::derive_seed(seed, hash);
}

namespace detail {

std::unique_ptr<Generator> make_any(const GeneratorSpec& spec, std::uint64_t seed, const Clock& clock,
                                    std::size_t depth) {
    if (depth > max_nesting) {
        throw SpecError("generators nested more than " + std::to_string(max_nesting) + " levels deep");
    }
    return std::visit(
        [&](const auto& alternative) -> std::unique_ptr<Generator> {
            using Alternative = std::decay_t<decltype(alternative)>;
            if constexpr (std::is_same_v<Alternative, JsonTemplate>) {
                return make_template(alternative, seed, clock, depth);
            } else if constexpr (std::is_same_v<Alternative, PadTo>) {
                return make_pad(alternative, seed, clock, depth);
            } else {
                return make_scalar(alternative, seed);
            }
        },
        spec);
}

}  // namespace detail

std::unique_ptr<Generator> make_generator(const GeneratorSpec& spec, std::uint64_t seed, Clock clock) {
    if (!clock) clock = [] { return std::chrono::system_clock::now(); };
    return detail::make_any(spec, seed, clock, 0);
}

void validate(const GeneratorSpec& spec) {
    // Building is cheap (no generator allocates its output up front), so validation is building.
    make_generator(spec, 0);
}

}  // namespace evsim::payload
