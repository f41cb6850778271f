#include <gtest/gtest.h>

#include "evsim/loadgen/content_type.hpp"

namespace evsim::loadgen {
namespace {

TEST(ContentType, EventStreamEssenceWithAndWithoutParameters) {
    EXPECT_TRUE(is_event_stream("text/event-stream"));
    EXPECT_TRUE(is_event_stream("text/event-stream; charset=utf-8"));
    EXPECT_TRUE(is_event_stream("text/event-stream;"));
    EXPECT_TRUE(is_event_stream("  TEXT/Event-Stream  ;foo=bar"));
    EXPECT_TRUE(is_event_stream("text/event-stream\t"));
}

TEST(ContentType, RejectsOtherTypesAndGarbage) {
    EXPECT_FALSE(is_event_stream(""));
    EXPECT_FALSE(is_event_stream("text/plain"));
    EXPECT_FALSE(is_event_stream("text/event-streams"));
    EXPECT_FALSE(is_event_stream("text/event-stream,text/plain"));
    EXPECT_FALSE(is_event_stream("text /event-stream"));
    EXPECT_FALSE(is_event_stream("event-stream"));
    EXPECT_FALSE(is_event_stream("application/json"));
}

TEST(ContentType, Essence) {
    EXPECT_EQ(mime_essence("Application/JSON; x=1"), "application/json");
    EXPECT_EQ(mime_essence("/json"), std::nullopt);
    EXPECT_EQ(mime_essence("text/"), std::nullopt);
}

}  // namespace
}  // namespace evsim::loadgen
