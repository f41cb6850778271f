// Integer and real mappings from std::mt19937_64 output, shared by payload generators, cadences and
// the reference emitters.
// They are written out here because std::uniform_int_distribution and friends are implementation-
// defined: libstdc++, libc++ and MSVC turn the same engine output into different values. The engine
// itself is fully specified by the standard, so these mappings give the same values everywhere.
#pragma once

#include <cstdint>
#include <limits>
#include <random>

namespace evsim::rng {

// Uniform over [0, span); span == 0 stands for the full 2^64 range. Rejection sampling, because a plain
// modulo favours the low values. producers::ValueSource uses it too, so payload random_int {10, 98}
// reproduces the reference emitters' values for the same engine seed.
inline std::uint64_t uniform_below(std::mt19937_64& engine, std::uint64_t span) {
    if (span == 0) return engine();
    constexpr std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = top - top % span;  // a multiple of span
    std::uint64_t draw = engine();
    while (draw >= limit) draw = engine();
    return draw % span;
}

// Uniform over [0, 1): the top 53 bits of one draw scaled by 2^-53, so every value is exact in a double
// and 1.0 never comes out.
inline double unit_interval(std::mt19937_64& engine) {
    return static_cast<double>(engine() >> 11U) * 0x1.0p-53;
}

// SplitMix64's finaliser: a bijection that spreads every input bit over the whole output, used to derive
// unrelated seeds from related inputs (a seed and a stream number).
inline std::uint64_t mix64(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
}

// The seed for sub-stream `stream` of `seed` (for example one emitter of several).
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) noexcept {
    return mix64(seed + 0x9E3779B97F4A7C15ULL * (stream + 1));
}

}  // namespace evsim::rng
