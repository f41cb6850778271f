#include "evsim/producers/value_source.hpp"

#include "evsim/core/rng.hpp"

namespace evsim::producers {

ValueSource::ValueSource(std::uint64_t seed) : engine_(seed) {}

int ValueSource::next() {
    constexpr std::uint64_t span = max_value - min_value + 1;
    return min_value + static_cast<int>(rng::uniform_below(engine_, span));
}

std::uint64_t random_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32U) ^ device();
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) { return rng::derive_seed(seed, stream); }

}  // namespace evsim::producers
