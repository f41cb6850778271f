// Chunking must never change what the parser reports: every vector is fed one byte at a time, split
// at every position, split at every pair of positions (short vectors), and in random chunks.
#include <gtest/gtest.h>

#include <random>

#include "sse_test_support.hpp"
#include "sse_vectors.hpp"

namespace evsim::sse::testing {
namespace {

class SplitTest : public ::testing::TestWithParam<Vector> {
protected:
    void expect_matches(const ParseOutcome& outcome, const std::string& how) {
        const Vector& v = GetParam();
        EXPECT_EQ(outcome.seen, v.expected) << how;
        EXPECT_EQ(outcome.last_event_id, v.final_last_event_id) << how;
        EXPECT_EQ(outcome.error, ParseError::none) << how;
    }
};

TEST_P(SplitTest, OneByteAtATime) {
    const std::string& input = GetParam().input;
    std::vector<std::string_view> chunks;
    for (std::size_t i = 0; i < input.size(); ++i) chunks.emplace_back(input.data() + i, 1);
    expect_matches(parse_chunks(chunks), "byte by byte");
}

TEST_P(SplitTest, EverySplitPosition) {
    const std::string_view input = GetParam().input;
    for (std::size_t at = 0; at <= input.size(); ++at) {
        expect_matches(parse_chunks({input.substr(0, at), input.substr(at)}), "split at " + std::to_string(at));
    }
}

TEST_P(SplitTest, EveryPairOfSplitPositions) {
    const std::string_view input = GetParam().input;
    ASSERT_LE(input.size(), 128U) << "keep vectors short: this test is quadratic in their length";
    for (std::size_t a = 0; a <= input.size(); ++a) {
        for (std::size_t b = a; b <= input.size(); ++b) {
            expect_matches(parse_chunks({input.substr(0, a), input.substr(a, b - a), input.substr(b)}),
                           "split at " + std::to_string(a) + " and " + std::to_string(b));
        }
    }
}

TEST_P(SplitTest, RandomChunksWithEmptyOnes) {
    const std::string_view input = GetParam().input;
    std::mt19937 rng(1234);
    for (int round = 0; round < 50; ++round) {
        std::vector<std::string_view> chunks;
        std::size_t pos = 0;
        while (pos < input.size()) {
            const std::size_t len = std::uniform_int_distribution<std::size_t>(0, 5)(rng);
            chunks.push_back(input.substr(pos, len));
            pos += std::min(len, input.size() - pos);
        }
        expect_matches(parse_chunks(chunks), "random round " + std::to_string(round));
    }
}

INSTANTIATE_TEST_SUITE_P(Spec, SplitTest, ::testing::ValuesIn(spec_vectors()),
                         [](const ::testing::TestParamInfo<Vector>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace evsim::sse::testing
