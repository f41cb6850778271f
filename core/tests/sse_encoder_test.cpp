#include <gtest/gtest.h>

#include <random>

#include "evsim/core/sse_encoder.hpp"
#include "sse_test_support.hpp"

namespace evsim::sse::testing {
namespace {

TEST(Encoder, ExactBytesLf) {
    OutgoingEvent e;
    e.type = "temperature_sse";
    e.data = "42";
    EXPECT_EQ(encode(e), "event: temperature_sse\ndata: 42\n\n");
}

TEST(Encoder, ExactBytesCrlfWithEveryField) {
    OutgoingEvent e;
    e.comment = "hi";
    e.type = "t";
    e.id = "7";
    e.retry = 1500;
    e.data = "a\nb";
    EXPECT_EQ(encode(e, Framing::crlf), ": hi\r\nevent: t\r\nid: 7\r\nretry: 1500\r\ndata: a\r\ndata: b\r\n\r\n");
}

TEST(Encoder, EveryLineBreakKindBecomesADataLine) {
    OutgoingEvent e;
    e.data = "a\r\nb\rc\n\nd\n";
    EXPECT_EQ(encode(e), "data: a\ndata: b\ndata: c\ndata: \ndata: d\ndata: \n\n");
}

TEST(Encoder, EmptyDataStillDispatches) {
    OutgoingEvent e;
    e.data = "";
    EXPECT_EQ(encode(e), "data: \n\n");
    EXPECT_EQ(parse_whole(encode(e)).seen, (std::vector<Observation>{message("")}));
}

TEST(Encoder, NoDataMeansNoDispatchButIdStillApplies) {
    OutgoingEvent e;
    e.id = "5";
    const ParseOutcome outcome = parse_whole(encode(e));
    EXPECT_TRUE(outcome.seen.empty());
    EXPECT_EQ(outcome.last_event_id, "5");
}

TEST(Encoder, EmptyIdResets) {
    OutgoingEvent first;
    first.id = "1";
    first.data = "a";
    OutgoingEvent second;
    second.id = "";
    second.data = "b";
    EXPECT_EQ(encode(second), "id: \ndata: b\n\n");
    const ParseOutcome outcome = parse_whole(encode(first) + encode(second));
    EXPECT_EQ(outcome.seen, (std::vector<Observation>{message("a", "1"), message("b", "")}));
}

TEST(Encoder, LeadingSpaceInValuesSurvives) {
    OutgoingEvent e;
    e.type = " spaced";
    e.id = " 1";
    e.data = "  two spaces";
    EXPECT_EQ(parse_whole(encode(e)).seen, (std::vector<Observation>{message("  two spaces", " 1", " spaced")}));
}

TEST(Encoder, RejectsWhatCannotBeExpressed) {
    OutgoingEvent bad_type;
    bad_type.type = "a\nb";
    EXPECT_THROW(encode(bad_type), EncodeError);
    OutgoingEvent bad_id;
    bad_id.id = "a\rb";
    EXPECT_THROW(encode(bad_id), EncodeError);
    OutgoingEvent nul_id;
    nul_id.id = std::string("a\0b", 3);
    EXPECT_THROW(encode(nul_id), EncodeError);
}

TEST(Encoder, CommentBlocks) {
    std::string out;
    encode_comment(out, "keepalive 1700000000");
    encode_comment(out, "", Framing::crlf);
    encode_comment(out, "two\nlines");
    EXPECT_EQ(out, ": keepalive 1700000000\n:\r\n: two\n: lines\n");
    EXPECT_EQ(parse_whole(out).seen,
              (std::vector<Observation>{comment(" keepalive 1700000000"), comment(""), comment(" two"), comment(" lines")}));
}

TEST(Encoder, NormalizeNewlines) {
    EXPECT_EQ(normalize_newlines("a\r\nb\rc\nd"), "a\nb\nc\nd");
    EXPECT_EQ(normalize_newlines("\r\r\n"), "\n\n");
    EXPECT_EQ(normalize_newlines(""), "");
}

// Random text from pieces that stress the framing: line breaks of every kind, spaces, colons,
// multi-byte UTF-8.
std::string random_text(std::mt19937& rng, bool allow_breaks) {
    static const std::vector<std::string> pieces = {"a", "Z", " ", ":", "data: ", "id", "\xE2\x82\xAC", "N\xC4\x96URO",
                                                    "\xF0\x9F\x98\x80", "\t", "0", "\n", "\r", "\r\n", "\n\n"};
    const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 12)(rng);
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& piece = pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
        if (!allow_breaks && piece.find_first_of("\r\n") != std::string::npos) continue;
        out += piece;
    }
    return out;
}

TEST(Encoder, RoundTripProperty) {
    std::mt19937 rng(7);
    std::bernoulli_distribution coin(0.5);
    for (int round = 0; round < 5000; ++round) {
        std::vector<OutgoingEvent> events(std::uniform_int_distribution<int>(1, 4)(rng));
        std::vector<Observation> expected;
        std::string last_id;
        std::string wire;
        const Framing framing = coin(rng) ? Framing::lf : Framing::crlf;
        for (auto& e : events) {
            if (coin(rng)) e.type = random_text(rng, false);
            if (coin(rng)) e.id = random_text(rng, false);
            if (coin(rng)) e.comment = random_text(rng, true);
            if (coin(rng)) e.retry = std::uniform_int_distribution<std::uint64_t>(0, 100000)(rng);
            if (coin(rng) || !e.id) e.data = random_text(rng, true);
            encode(wire, e, framing);

            if (e.comment) {
                std::string lines = normalize_newlines(*e.comment);
                std::size_t start = 0;
                for (;;) {
                    const std::size_t end = lines.find('\n', start);
                    const std::string line = lines.substr(start, end - start);
                    expected.push_back(comment(line.empty() ? "" : " " + line));
                    if (end == std::string::npos) break;
                    start = end + 1;
                }
            }
            if (e.retry) expected.push_back(retry(*e.retry));
            if (e.id) last_id = *e.id;
            if (e.data) {
                const std::string type = e.type && !e.type->empty() ? *e.type : "message";
                expected.push_back(message(normalize_newlines(*e.data), last_id, type));
            }
        }
        const ParseOutcome outcome = parse_whole(wire);
        ASSERT_EQ(outcome.seen, expected) << "wire: \"" << escaped(wire) << "\"";
        ASSERT_EQ(outcome.last_event_id, last_id);
    }
}

}  // namespace
}  // namespace evsim::sse::testing
