// The values the reference emitters send: integers 10..98, like the samples'
// `random.randrange(10, 99)` (the upper bound is exclusive in Python).
#pragma once

#include <cstdint>
#include <random>

namespace evsim::producers {

class ValueSource {
public:
    static constexpr int min_value = 10;
    static constexpr int max_value = 98;  // inclusive

    explicit ValueSource(std::uint64_t seed);

    // The next value, uniform over [min_value, max_value]. The sequence for a seed is the same on
    // every platform and standard library (std::uniform_int_distribution would not guarantee that).
    int next();

private:
    std::mt19937_64 engine_;
};

// A seed from std::random_device, for runs without --seed.
std::uint64_t random_seed();

// An independent seed for one emitter (`stream`) derived from the user's seed, so that disabling one
// emitter does not change the values another one sends.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

}  // namespace evsim::producers
