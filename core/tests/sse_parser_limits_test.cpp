// Bounded memory: over-long lines and over-large events are errors the caller sees, whatever the chunking.
#include <gtest/gtest.h>

#include "sse_test_support.hpp"

namespace evsim::sse::testing {
namespace {

constexpr ParserLimits kSmall{16, 32};

TEST(ParserLimits, LineAtTheLimitIsAccepted) {
    const std::string line = "data: " + std::string(10, 'x');  // 16 bytes
    const ParseOutcome outcome = parse_whole(line + "\n\n", kSmall);
    EXPECT_EQ(outcome.error, ParseError::none);
    EXPECT_EQ(outcome.seen, (std::vector<Observation>{message(std::string(10, 'x'))}));
}

TEST(ParserLimits, LineOverTheLimitFailsWholeOrChunked) {
    const std::string input = "data: ok\n\ndata: " + std::string(11, 'x') + "\n\ndata: never\n\n";
    const ParseOutcome whole = parse_whole(input, kSmall);
    EXPECT_EQ(whole.error, ParseError::line_too_long);
    EXPECT_EQ(whole.seen, (std::vector<Observation>{message("ok")}));
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < input.size(); ++i) bytes.emplace_back(input.data() + i, 1);
    EXPECT_EQ(parse_chunks(bytes, kSmall), whole);
}

TEST(ParserLimits, UnterminatedLongLineFailsWithoutWaitingForItsEnd) {
    Recorder recorder;
    Parser parser(recorder, kSmall);
    EXPECT_EQ(parser.feed("data: 0123456789"), ParseError::none);
    EXPECT_EQ(parser.feed("a"), ParseError::line_too_long);
    EXPECT_EQ(parser.feed("\n\n"), ParseError::line_too_long);  // stays failed
    EXPECT_TRUE(recorder.seen.empty());
}

TEST(ParserLimits, EventOverTheLimitFails) {
    // Each data line is short, but together they pass 32 bytes of data buffer.
    std::string input;
    for (int i = 0; i < 8; ++i) input += "data: 12345\n";
    input += "\n";
    const ParseOutcome outcome = parse_whole(input, kSmall);
    EXPECT_EQ(outcome.error, ParseError::event_too_large);
    EXPECT_TRUE(outcome.seen.empty());
}

TEST(ParserLimits, ResetStreamRecoversAndKeepsLastEventId) {
    Recorder recorder;
    Parser parser(recorder, kSmall);
    parser.feed("id: 9\n\n");
    EXPECT_EQ(parser.feed(std::string(40, 'y')), ParseError::line_too_long);
    parser.reset_stream();
    EXPECT_EQ(parser.error(), ParseError::none);
    EXPECT_EQ(parser.feed("data: back\n\n"), ParseError::none);
    EXPECT_EQ(recorder.seen, (std::vector<Observation>{message("back", "9")}));
}

TEST(ParserLimits, ErrorsHaveReadableNames) {
    EXPECT_EQ(to_string(ParseError::line_too_long), "line longer than the parser's limit");
    EXPECT_EQ(to_string(ParseError::event_too_large), "event data larger than the parser's limit");
}

}  // namespace
}  // namespace evsim::sse::testing
