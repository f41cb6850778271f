// Every spec vector fed whole; plus the parser state rules that vectors alone cannot show.
#include <gtest/gtest.h>

#include "sse_test_support.hpp"
#include "sse_vectors.hpp"

namespace evsim::sse::testing {
namespace {

class SpecVectorTest : public ::testing::TestWithParam<Vector> {};

TEST_P(SpecVectorTest, WholeInput) {
    const Vector& v = GetParam();
    const ParseOutcome outcome = parse_whole(v.input);
    EXPECT_EQ(outcome.seen, v.expected);
    EXPECT_EQ(outcome.last_event_id, v.final_last_event_id);
    EXPECT_EQ(outcome.error, ParseError::none);
}

INSTANTIATE_TEST_SUITE_P(Spec, SpecVectorTest, ::testing::ValuesIn(spec_vectors()),
                         [](const ::testing::TestParamInfo<Vector>& param_info) { return param_info.param.name; });

TEST(ParserState, ReconnectKeepsLastEventIdAndRetry) {
    Recorder recorder;
    Parser parser(recorder);
    parser.feed("retry: 2500\nid: 42\ndata: a\n\ndata: partial");
    EXPECT_EQ(parser.last_event_id(), "42");
    ASSERT_TRUE(parser.reconnection_time().has_value());
    EXPECT_EQ(*parser.reconnection_time(), 2500U);

    parser.end_of_stream();
    parser.reset_stream();
    EXPECT_EQ(parser.last_event_id(), "42");
    EXPECT_EQ(*parser.reconnection_time(), 2500U);

    // The partial event was discarded; an event without id still reports the kept id.
    parser.feed("data: b\n\n");
    ASSERT_EQ(recorder.seen.size(), 3U);
    EXPECT_EQ(recorder.seen[1], message("a", "42"));
    EXPECT_EQ(recorder.seen[2], message("b", "42"));
}

TEST(ParserState, ResetStreamStripsANewLeadingBom) {
    Recorder recorder;
    Parser parser(recorder);
    parser.feed("\xEF\xBB\xBF" "data: a\n\n");
    parser.reset_stream();
    parser.feed("\xEF\xBB\xBF" "data: b\n\n");
    EXPECT_EQ(recorder.seen, (std::vector<Observation>{message("a"), message("b")}));
}

TEST(ParserState, ResetStreamForgetsPendingCrAndEventType) {
    Recorder recorder;
    Parser parser(recorder);
    parser.feed("event: x\ndata: a\r");  // line ended by CR; a following LF would belong to it
    parser.reset_stream();
    parser.feed("\ndata: b\n\n");  // on a new stream this LF is an empty line of its own
    EXPECT_EQ(recorder.seen, (std::vector<Observation>{message("b")}));
}

TEST(ParserState, SeededLastEventIdIsReported) {
    Recorder recorder;
    Parser parser(recorder);
    parser.set_last_event_id("seed");
    parser.feed("data: x\n\n");
    EXPECT_EQ(recorder.seen, (std::vector<Observation>{message("x", "seed")}));
}

TEST(ParserState, EndOfStreamForgetsTheIdOfTheDiscardedEvent) {
    Recorder recorder;
    Parser parser(recorder);
    parser.feed("id: 1\ndata: a\n\nid: 7\n");
    parser.end_of_stream();
    EXPECT_EQ(parser.last_event_id(), "1");
    parser.feed("data: x\n\n");  // even without reset_stream(), the 7 never applied
    EXPECT_EQ(recorder.seen, (std::vector<Observation>{message("a", "1"), message("x", "1")}));
    EXPECT_EQ(parser.last_event_id(), "1");
}

TEST(ParserState, EndOfStreamDiscardsPendingEvent) {
    Recorder recorder;
    Parser parser(recorder);
    parser.feed("event: e\ndata: a\n");
    parser.end_of_stream();
    parser.feed("\n");  // must not dispatch the discarded event
    EXPECT_TRUE(recorder.seen.empty());
}

}  // namespace
}  // namespace evsim::sse::testing
