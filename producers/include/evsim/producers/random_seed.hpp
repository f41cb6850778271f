// The seed of a run without --seed or a scenario seed.
#pragma once

#include <cstdint>

namespace evsim::producers {

// A seed from std::random_device.
std::uint64_t random_seed();

}  // namespace evsim::producers
