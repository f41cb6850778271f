#include "evsim/producers/value_source.hpp"

#include <limits>

namespace evsim::producers {

ValueSource::ValueSource(std::uint64_t seed) : engine_(seed) {}

int ValueSource::next() {
    // Rejection sampling: a plain modulo would favour the low values slightly, and
    // std::uniform_int_distribution's output differs between standard libraries.
    constexpr std::uint64_t span = max_value - min_value + 1;
    constexpr std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
    constexpr std::uint64_t limit = top - top % span;  // a multiple of span
    std::uint64_t draw = engine_();
    while (draw >= limit) draw = engine_();
    return min_value + static_cast<int>(draw % span);
}

std::uint64_t random_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32U) ^ device();
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
    // SplitMix64 finaliser over the pair: nearby seeds and streams give unrelated engine seeds.
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
}

}  // namespace evsim::producers
