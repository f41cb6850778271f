// The WebSocket reader on well-formed streams: the RFC 6455 section 5.7 examples, fragmentation with
// control frames between fragments, every length encoding, masking, and the same result however the
// input is split.
#include <gtest/gtest.h>

#include "evsim/core/ws_frame.hpp"
#include "ws_test_support.hpp"

namespace {

using namespace evsim::ws;
using evsim::ws::test::bytes;
using evsim::ws::test::Outcome;
using evsim::ws::test::read_all;

// Every chunk size from 1 to the whole input gives `expected`.
void expect_any_split(const std::string& input, Peer peer, const Outcome& expected, ReaderLimits limits = {},
                      bool compression = false) {
    for (std::size_t chunk = 0; chunk <= input.size(); ++chunk) {
        EXPECT_EQ(read_all(input, peer, chunk, limits, compression), expected) << "chunk " << chunk;
    }
}

TEST(WsReader, RfcUnmaskedTextFromAServer) {
    expect_any_split(bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}), Peer::server, {"text[Hello]", std::nullopt});
}

TEST(WsReader, RfcMaskedTextFromAClient) {
    expect_any_split(bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}), Peer::client,
                     {"text[Hello]", std::nullopt});
}

TEST(WsReader, RfcFragmentedText) {
    expect_any_split(bytes({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}), Peer::server,
                     {"text[Hello]", std::nullopt});
}

TEST(WsReader, ControlFramesBetweenFragments) {
    std::string in;
    append_frame(in, Opcode::binary, "ab", FrameOptions{.fin = false});
    append_frame(in, Opcode::ping, "p1");
    append_frame(in, Opcode::continuation, "", FrameOptions{.fin = false});
    append_frame(in, Opcode::pong, "");
    append_frame(in, Opcode::continuation, "cd");
    append_frame(in, Opcode::text, "next");
    expect_any_split(in, Peer::server, {"ping[p1]pong[]binary[abcd]text[next]", std::nullopt});
}

TEST(WsReader, EveryLengthEncodingFromAMaskingClient) {
    for (std::size_t size : {0U, 1U, 125U, 126U, 127U, 65535U, 65536U, 70000U}) {
        std::string payload(size, 'x');
        for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>('a' + i % 26);
        std::string in;
        append_frame(in, Opcode::binary, payload, FrameOptions{.mask = MaskingKey{1, 2, 3, 4}});
        EXPECT_EQ(read_all(in, Peer::client), (Outcome{"binary[" + payload + "]", std::nullopt})) << size;
        EXPECT_EQ(read_all(in, Peer::client, 7), (Outcome{"binary[" + payload + "]", std::nullopt})) << size;
    }
}

TEST(WsReader, EmptyMessagesAndManyInOneChunk) {
    std::string in;
    append_frame(in, Opcode::text, "");
    append_frame(in, Opcode::binary, "");
    for (int i = 0; i < 3; ++i) append_frame(in, Opcode::text, std::to_string(i));
    expect_any_split(in, Peer::server, {"text[]binary[]text[0]text[1]text[2]", std::nullopt});
}

TEST(WsReader, CloseWithAndWithoutCodeAndNothingAfter) {
    std::string in;
    append_frame(in, Opcode::close, close_payload(1000, "done"));
    append_frame(in, Opcode::text, "after the close: ignored");
    expect_any_split(in, Peer::server, {"close[1000:done]", std::nullopt});
    std::string bare;
    append_frame(bare, Opcode::close, "");
    expect_any_split(bare, Peer::server, {"close[-:]", std::nullopt});
}

TEST(WsReader, ValidUtf8TextSplitAcrossFragmentsInsideASequence) {
    std::string in;
    append_frame(in, Opcode::text, "caf\xc3", FrameOptions{.fin = false});
    append_frame(in, Opcode::continuation, "\xa9 \xf0\x9f\x98");
    append_frame(in, Opcode::ping, "");  // not in the message
    std::string rest;
    append_frame(rest, Opcode::text, "\xf0\x9f\x98\x80");
    in += rest;
    // The first message ends inside a four-byte sequence: invalid as a whole.
    EXPECT_EQ(read_all(in, Peer::server).failure, close_code::invalid_payload);
    std::string good;
    append_frame(good, Opcode::text, "caf\xc3", FrameOptions{.fin = false});
    append_frame(good, Opcode::continuation, "\xa9");
    expect_any_split(good, Peer::server, {"text[caf\xc3\xa9]", std::nullopt});
}

TEST(WsReader, CompressedMessagesAreReportedAsSuchWhenAgreed) {
    std::string in;
    append_frame(in, Opcode::text, "\xf2\x48", FrameOptions{.fin = false, .rsv1 = true});
    append_frame(in, Opcode::continuation, std::string_view("\xcd\xc9\xc9\x07\x00", 5));
    // Not UTF-8 as it stands: the caller inflates, then checks.
    const std::string compressed("\xf2\x48\xcd\xc9\xc9\x07\x00", 7);
    expect_any_split(in, Peer::server, {"text(z)[" + compressed + "]", std::nullopt}, {}, true);
}

TEST(WsReader, BufferIsReleasedBetweenMessages) {
    Reader reader(Peer::server);
    evsim::ws::test::Transcript transcript;
    std::string first;
    append_frame(first, Opcode::text, "abc", FrameOptions{.fin = false});
    EXPECT_FALSE(reader.feed(first, transcript));
    EXPECT_EQ(reader.buffered(), 3U);
    std::string last;
    append_frame(last, Opcode::continuation, "d");
    EXPECT_FALSE(reader.feed(last, transcript));
    EXPECT_EQ(reader.buffered(), 0U);
    EXPECT_EQ(transcript.log, "text[abcd]");
}

}  // namespace
