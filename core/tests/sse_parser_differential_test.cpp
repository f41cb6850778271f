// Differential test: sse::Parser against the simple reference implementation on random streams cut
// into random chunks. Streams are built from the tokens that matter to the grammar (field names,
// colons, spaces, every line ending, BOMs, broken and valid UTF-8, NUL, digits) so that rare paths
// come up often.
#include <gtest/gtest.h>

#include <random>

#include "evsim/core/utf8.hpp"
#include "sse_reference_parser.hpp"
#include "sse_test_support.hpp"
#include "sse_vectors.hpp"

namespace evsim::sse::testing {
namespace {

std::string random_stream(std::mt19937& rng) {
    using namespace std::string_literals;
    static const std::vector<std::string> tokens = {
        "data", "data", "data", "event", "id", "retry", "Data", "dat", "x", ":", ":", " ", " ", "\n", "\n", "\n",
        "\r", "\r\n", "\xEF\xBB\xBF", "\xEF\xBB", "\xE2\x82\xAC", "\xE2\x82", "\xF0\x9F\x98\x80", "\xFF", "\x80",
        "\xC3", "\xED\xA0\x80", "\0"s, "0", "7", "42", "100", "a", "hello world", "\t"};
    std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
    const std::size_t count = std::uniform_int_distribution<std::size_t>(0, 60)(rng);
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += tokens[pick(rng)];
    return out;
}

std::vector<std::string_view> random_chunks(std::string_view input, std::mt19937& rng) {
    std::vector<std::string_view> chunks;
    std::size_t pos = 0;
    while (pos < input.size()) {
        const std::size_t len = std::uniform_int_distribution<std::size_t>(0, 9)(rng);
        chunks.push_back(input.substr(pos, std::min(len, input.size() - pos)));
        pos += std::min(len, input.size() - pos);
    }
    return chunks;
}

// The parser hands comments over raw; the reference decodes them first.
ParseOutcome with_repaired_comments(ParseOutcome outcome) {
    for (auto& o : outcome.seen) {
        if (o.kind == Observation::Kind::comment) o.data = utf8::repaired(o.data);
    }
    return outcome;
}

TEST(Differential, RandomStreamsAndChunkingsAgreeWithReference) {
    std::mt19937 rng(20261123);
    for (int round = 0; round < 20000; ++round) {
        const std::string input = random_stream(rng);
        const ParseOutcome expected = reference_parse(input);
        ASSERT_EQ(with_repaired_comments(parse_whole(input)), expected) << "input: \"" << escaped(input) << "\"";
        ASSERT_EQ(with_repaired_comments(parse_chunks(random_chunks(input, rng))), expected)
            << "input: \"" << escaped(input) << "\"";
    }
}

TEST(Differential, ReferenceAgreesWithEverySpecVector) {
    for (const Vector& v : spec_vectors()) {
        const ParseOutcome outcome = reference_parse(v.input);
        EXPECT_EQ(outcome.seen, v.expected) << v.name;
        EXPECT_EQ(outcome.last_event_id, v.final_last_event_id) << v.name;
    }
}

TEST(Differential, ReferenceAgreesOnAHandWrittenCase) {
    // Guards the reference itself: if it drifted, the random test would prove nothing.
    const ParseOutcome outcome = reference_parse("\xEF\xBB\xBFid: 3\r\nevent: e\rdata: a\xFF\n\n");
    EXPECT_EQ(outcome.seen, (std::vector<Observation>{message("a\xEF\xBF\xBD", "3", "e")}));
    EXPECT_EQ(outcome.last_event_id, "3");
}

}  // namespace
}  // namespace evsim::sse::testing
