// The WebSocket reader on bad input: every rule RFC 6455 gives a receiver fails the stream with
// the close code it names, whatever the split, and nothing after the failure is reported.
#include <gtest/gtest.h>

#include "evsim/core/ws_frame.hpp"
#include "ws_test_support.hpp"

namespace {

using namespace evsim::ws;
using evsim::ws::test::bytes;
using evsim::ws::test::Outcome;
using evsim::ws::test::read_all;

// `input` fails with `code` after reporting `log`, however it is split.
void expect_failure(const std::string& input, Peer peer, std::uint16_t code, const std::string& log = "",
                    ReaderLimits limits = {}, bool compression = false) {
    for (std::size_t chunk = 0; chunk <= input.size(); ++chunk) {
        EXPECT_EQ(read_all(input, peer, chunk, limits, compression), (Outcome{log, code})) << "chunk " << chunk;
    }
}

std::string frame(Opcode opcode, std::string_view payload, FrameOptions options = {}) {
    std::string out;
    append_frame(out, opcode, payload, options);
    return out;
}

TEST(WsReaderErrors, ReservedBits) {
    expect_failure(bytes({0x81 | 0x20, 0x00}), Peer::server, close_code::protocol_error);  // RSV2
    expect_failure(bytes({0x81 | 0x10, 0x00}), Peer::server, close_code::protocol_error);  // RSV3
    expect_failure(bytes({0xc1, 0x00}), Peer::server, close_code::protocol_error);         // RSV1 unagreed
}

TEST(WsReaderErrors, Rsv1OnlyOnTheFirstFrameOfADataMessage) {
    expect_failure(bytes({0xc9, 0x00}), Peer::server, close_code::protocol_error, "", {}, true);  // ping
    const std::string start = frame(Opcode::text, "a", {.fin = false, .rsv1 = true});
    expect_failure(start + bytes({0xc0, 0x00}), Peer::server, close_code::protocol_error, "", {}, true);
}

TEST(WsReaderErrors, ReservedOpcodes) {
    for (int op : {3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf}) {
        expect_failure(bytes({0x80 | op, 0x00}), Peer::server, close_code::protocol_error);
    }
}

TEST(WsReaderErrors, MaskingMustMatchTheSender) {
    expect_failure(frame(Opcode::text, "hi"), Peer::client, close_code::protocol_error);
    expect_failure(frame(Opcode::text, "hi", {.mask = MaskingKey{1, 2, 3, 4}}), Peer::server,
                   close_code::protocol_error);
}

TEST(WsReaderErrors, ControlFramesFragmentedOrTooLong) {
    expect_failure(bytes({0x09, 0x00}), Peer::server, close_code::protocol_error);  // ping without FIN
    std::string long_ping;
    append_header(long_ping, Opcode::ping, 126);
    long_ping += std::string(126, 'p');
    expect_failure(long_ping, Peer::server, close_code::protocol_error);
}

TEST(WsReaderErrors, LengthsNotInTheirShortestForm) {
    expect_failure(bytes({0x82, 0x7e, 0x00, 0x7d}) + std::string(125, 'x'), Peer::server,
                   close_code::protocol_error);
    expect_failure(bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0xff, 0xff}), Peer::server, close_code::protocol_error);
    expect_failure(bytes({0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0}), Peer::server, close_code::protocol_error);
}

TEST(WsReaderErrors, FragmentationOutOfOrder) {
    expect_failure(frame(Opcode::continuation, "x"), Peer::server, close_code::protocol_error);
    expect_failure(frame(Opcode::text, "a", {.fin = false}) + frame(Opcode::text, "b"), Peer::server,
                   close_code::protocol_error);
    // A message that ended cannot be continued.
    expect_failure(frame(Opcode::text, "a") + frame(Opcode::continuation, "b"), Peer::server,
                   close_code::protocol_error, "text[a]");
}

TEST(WsReaderErrors, MessageLargerThanTheLimitIsRefusedAtItsHeader) {
    const ReaderLimits limits{.max_message = 10};
    expect_failure(frame(Opcode::binary, std::string(11, 'x')), Peer::server, close_code::message_too_big, "",
                   limits);
    // Across fragments: 6 + 5 > 10.
    expect_failure(frame(Opcode::binary, std::string(6, 'x'), {.fin = false}) +
                       frame(Opcode::continuation, std::string(5, 'y')),
                   Peer::server, close_code::message_too_big, "", limits);
    // A header announcing 2^62 bytes fails before any payload arrives.
    expect_failure(bytes({0x82, 0x7f, 0x40, 0, 0, 0, 0, 0, 0, 0}), Peer::server, close_code::message_too_big);
    // Exactly the limit is fine.
    EXPECT_EQ(read_all(frame(Opcode::binary, std::string(10, 'x')), Peer::server, 0, limits),
              (Outcome{"binary[xxxxxxxxxx]", std::nullopt}));
}

TEST(WsReaderErrors, InvalidUtf8InText) {
    expect_failure(frame(Opcode::text, "\xff"), Peer::server, close_code::invalid_payload);
    expect_failure(frame(Opcode::text, "\xed\xa0\x80"), Peer::server, close_code::invalid_payload);  // surrogate
    expect_failure(frame(Opcode::text, "\xc0\xaf"), Peer::server, close_code::invalid_payload);      // overlong
    expect_failure(frame(Opcode::text, "ok\xc3", {.mask = MaskingKey{9, 8, 7, 6}}), Peer::client,
                   close_code::invalid_payload);
    // Binary messages are not UTF-8 and need not be.
    EXPECT_EQ(read_all(frame(Opcode::binary, "\xff"), Peer::server), (Outcome{"binary[\xff]", std::nullopt}));
}

TEST(WsReaderErrors, BadClosePayloads) {
    expect_failure(frame(Opcode::close, "\x03"), Peer::server, close_code::protocol_error);
    for (std::uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 2999, 5000}) {
        std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
        expect_failure(frame(Opcode::close, payload), Peer::server, close_code::protocol_error);
    }
    expect_failure(frame(Opcode::close, close_payload(1000) + "\xff"), Peer::server, close_code::invalid_payload);
}

TEST(WsReaderErrors, NothingIsReportedAfterAFailure) {
    Reader reader(Peer::server);
    evsim::ws::test::Transcript transcript;
    const auto failure = reader.feed(bytes({0x83, 0x00}) + frame(Opcode::text, "later"), transcript);
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->close_code, close_code::protocol_error);
    EXPECT_EQ(failure->reason, "reserved opcode");
    EXPECT_FALSE(reader.feed(frame(Opcode::text, "more"), transcript));
    EXPECT_TRUE(reader.closed());
    EXPECT_EQ(transcript.log, "");
}

}  // namespace
