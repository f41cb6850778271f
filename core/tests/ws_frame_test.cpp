// Frame encoding against the byte-exact examples of RFC 6455 section 5.7, and the close payload.
#include <gtest/gtest.h>

#include <string>

#include "evsim/core/ws_frame.hpp"

namespace {

using evsim::ws::append_frame;
using evsim::ws::append_header;
using evsim::ws::FrameOptions;
using evsim::ws::MaskingKey;
using evsim::ws::Opcode;

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out.push_back(static_cast<char>(v));
    return out;
}

constexpr MaskingKey kRfcKey{0x37, 0xfa, 0x21, 0x3d};

TEST(WsFrame, RfcSingleFrameUnmaskedText) {
    std::string out;
    append_frame(out, Opcode::text, "Hello");
    EXPECT_EQ(out, bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
}

TEST(WsFrame, RfcSingleFrameMaskedText) {
    std::string out;
    append_frame(out, Opcode::text, "Hello", FrameOptions{.mask = kRfcKey});
    EXPECT_EQ(out, bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
}

TEST(WsFrame, RfcFragmentedUnmaskedText) {
    std::string out;
    append_frame(out, Opcode::text, "Hel", FrameOptions{.fin = false});
    append_frame(out, Opcode::continuation, "lo");
    EXPECT_EQ(out, bytes({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}));
}

TEST(WsFrame, RfcPingAndMaskedPong) {
    std::string ping;
    append_frame(ping, Opcode::ping, "Hello");
    EXPECT_EQ(ping, bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
    std::string pong;
    append_frame(pong, Opcode::pong, "Hello", FrameOptions{.mask = kRfcKey});
    EXPECT_EQ(pong, bytes({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
}

TEST(WsFrame, LengthEncodingsAreTheShortest) {
    std::string out;
    append_header(out, Opcode::binary, 256);
    EXPECT_EQ(out, bytes({0x82, 0x7e, 0x01, 0x00}));
    out.clear();
    append_header(out, Opcode::binary, 65536);
    EXPECT_EQ(out, bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}));
    out.clear();
    append_header(out, Opcode::binary, 125);
    EXPECT_EQ(out, bytes({0x82, 125}));
    out.clear();
    append_header(out, Opcode::binary, 126);
    EXPECT_EQ(out, bytes({0x82, 0x7e, 0x00, 126}));
    out.clear();
    append_header(out, Opcode::binary, 65535);
    EXPECT_EQ(out, bytes({0x82, 0x7e, 0xff, 0xff}));
    out.clear();
    append_header(out, Opcode::text, 0, FrameOptions{.rsv1 = true});
    EXPECT_EQ(out, bytes({0xc1, 0x00}));
}

TEST(WsFrame, MaskingInPiecesEqualsMaskingWhole) {
    std::string whole(1000, '\0');
    for (std::size_t i = 0; i < whole.size(); ++i) whole[i] = static_cast<char>(i * 7);
    std::string pieces = whole;
    evsim::ws::apply_mask(whole.data(), whole.size(), kRfcKey);
    std::size_t at = 0;
    for (std::size_t step : {1U, 3U, 8U, 13U, 100U, 875U}) {
        evsim::ws::apply_mask(pieces.data() + at, step, kRfcKey, at);
        at += step;
    }
    ASSERT_EQ(at, pieces.size());
    EXPECT_EQ(pieces, whole);
    for (std::size_t i = 0; i < whole.size(); ++i) {
        ASSERT_EQ(static_cast<std::uint8_t>(whole[i]), static_cast<std::uint8_t>((i * 7) & 0xff) ^ kRfcKey[i % 4]) << i;
    }
}

TEST(WsFrame, ClosePayloadCarriesCodeAndReason) {
    EXPECT_EQ(evsim::ws::close_payload(std::nullopt), "");
    EXPECT_EQ(evsim::ws::close_payload(1001), bytes({0x03, 0xe9}));
    EXPECT_EQ(evsim::ws::close_payload(4000, "bye"), bytes({0x0f, 0xa0, 'b', 'y', 'e'}));
}

TEST(WsFrame, ClosePayloadCutsALongReasonAtASequenceBoundary) {
    std::string reason;
    for (int i = 0; i < 100; ++i) reason += "\xc3\xa9";  // 'é', two bytes each
    const auto payload = evsim::ws::close_payload(1000, reason);
    EXPECT_LE(payload.size(), evsim::ws::max_control_payload);
    EXPECT_EQ(payload.size(), 2U + 122U);  // 61 whole sequences; the 62nd would need byte 126
}

TEST(WsFrame, SendableCloseCodes) {
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999})
        EXPECT_TRUE(evsim::ws::is_sendable_close_code(static_cast<std::uint16_t>(code))) << code;
    for (int code : {0, 999, 1004, 1005, 1006, 1012, 1015, 2000, 2999, 5000, 65535})
        EXPECT_FALSE(evsim::ws::is_sendable_close_code(static_cast<std::uint16_t>(code))) << code;
}

}  // namespace
