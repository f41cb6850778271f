#include "evsim/producers/random_seed.hpp"

#include <random>

namespace evsim::producers {

std::uint64_t random_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32U) ^ device();
}

}  // namespace evsim::producers
