#include <gtest/gtest.h>

#include "evsim/core/duration.hpp"

namespace evsim {
namespace {
using namespace std::chrono_literals;

TEST(Duration, UnitsAndBareNumbers) {
    EXPECT_EQ(parse_duration("250ms"), 250ms);
    EXPECT_EQ(parse_duration("3s"), 3s);
    EXPECT_EQ(parse_duration("1.5s"), 1500ms);
    EXPECT_EQ(parse_duration("2m"), 120s);
    EXPECT_EQ(parse_duration("2min"), 120s);
    EXPECT_EQ(parse_duration("1h"), 3600s);
    EXPECT_EQ(parse_duration("100us"), 100us);
    EXPECT_EQ(parse_duration("0"), 0us);
    EXPECT_EQ(parse_duration("500"), 500ms);
    EXPECT_EQ(parse_duration("5", BareUnit::seconds), 5s);
}

TEST(Duration, RejectsGarbageWithAClearMessage) {
    for (const char* bad : {"", "s", "-1s", "3 s", "3sec", "1..2s", "abc", "1e3s", "9999999h"}) {
        EXPECT_THROW(parse_duration(bad), DurationError) << bad;
    }
    try {
        parse_duration("3x");
        FAIL();
    } catch (const DurationError& e) {
        EXPECT_STREQ(e.what(), "invalid duration '3x': unknown unit 'x' (use us, ms, s, m or h) (examples: 250ms, 3s, 1.5s, 2m, 1h)");
    }
}

}  // namespace
}  // namespace evsim
