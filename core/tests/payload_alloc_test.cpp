// Steady-state generation allocates nothing: the global operator new is replaced (for this whole test
// program) by one that counts calls while a test asks it to.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "evsim/core/payload.hpp"

// GCC 12 sees free() applied to memory from operator new and warns, not knowing that the operator new
// below is the one that called malloc().
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t /*size*/) noexcept { std::free(p); }

namespace evsim::payload {
namespace {

long allocations_in_steady_state(const GeneratorSpec& spec) {
    auto generator = make_generator(spec, 1, [] { return std::chrono::system_clock::time_point{}; });
    std::string out;
    out.reserve(generator->max_size());
    for (int i = 0; i < 100; ++i) {  // warm-up: a template's field buffers grow to their size here
        out.clear();
        generator->next(out);
    }
    allocations = 0;
    counting = true;
    for (int i = 0; i < 10'000; ++i) {
        out.clear();
        generator->next(out);
    }
    counting = false;
    return allocations.load();
}

TEST(PayloadAllocations, NoneInSteadyState) {
    EXPECT_EQ(allocations_in_steady_state(RandomInt{}), 0);
    EXPECT_EQ(allocations_in_steady_state(RandomFloat{}), 0);
    EXPECT_EQ(allocations_in_steady_state(RandomWalk{}), 0);
    EXPECT_EQ(allocations_in_steady_state(Sine{}), 0);
    EXPECT_EQ(allocations_in_steady_state(Counter{}), 0);
    EXPECT_EQ(allocations_in_steady_state(Constant{"hello"}), 0);
    EXPECT_EQ(allocations_in_steady_state(JsonTemplate{R"({"seq":{{seq}},"ts":{{ts_ms}},"v":{{v}},"s":"{{s}}"})",
                                                       {{"v", RandomFloat{}}, {"s", Constant{"a\"b"}}}}),
              0);
    EXPECT_EQ(allocations_in_steady_state(PadTo{GeneratorSpec{RandomInt{}}, 4096, ' '}), 0);
}

TEST(PayloadAllocations, TheCounterWorks) {
    // Guards the test above against a replacement that is never called.
    allocations = 0;
    counting = true;
    auto* volatile p = new std::string(100, 'x');
    counting = false;
    delete p;
    EXPECT_GE(allocations.load(), 1);
}

}  // namespace
}  // namespace evsim::payload
