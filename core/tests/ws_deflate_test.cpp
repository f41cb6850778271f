// permessage-deflate's transform against RFC 7692 section 7.2.3's examples, round trips, and the
// inflater's bounds on corrupt and expanding input.
#include <gtest/gtest.h>

#include <string>

#include "evsim/core/ws_deflate.hpp"

namespace {

using evsim::ws::MessageDeflater;
using evsim::ws::MessageInflater;
using Result = MessageInflater::Result;

const std::string kHelloCompressed("\xf2\x48\xcd\xc9\xc9\x07\x00", 7);

TEST(WsDeflate, CompressesHelloAsTheRfcShows) {
    MessageDeflater deflater;
    std::string out;
    deflater.compress("Hello", out);
    EXPECT_EQ(out, kHelloCompressed);
    // No context takeover: the second message compresses the same way.
    out.clear();
    deflater.compress("Hello", out);
    EXPECT_EQ(out, kHelloCompressed);
}

TEST(WsDeflate, InflatesTheRfcExamples) {
    MessageInflater inflater(true, 1024);
    std::string out;
    ASSERT_EQ(inflater.inflate(kHelloCompressed, out), Result::ok);
    EXPECT_EQ(out, "Hello");
    // Section 7.2.3.2: the same message again, referring back into the kept window.
    ASSERT_EQ(inflater.inflate(std::string("\xf2\x00\x11\x00\x00", 5), out), Result::ok);
    EXPECT_EQ(out, "Hello");
    // Section 7.2.3.3: a stored (uncompressed) block.
    ASSERT_EQ(inflater.inflate(std::string("\x00\x05\x00\xfa\xff\x48\x65\x6c\x6c\x6f\x00", 11), out), Result::ok);
    EXPECT_EQ(out, "Hello");
    // Section 7.2.3.4: BFINAL set; the next message starts a fresh stream.
    ASSERT_EQ(inflater.inflate(std::string("\xf3\x48\xcd\xc9\xc9\x07\x00\x00", 8), out), Result::ok);
    EXPECT_EQ(out, "Hello");
    ASSERT_EQ(inflater.inflate(kHelloCompressed, out), Result::ok);
    EXPECT_EQ(out, "Hello");
}

TEST(WsDeflate, RoundTripsLargeAndEmptyMessages) {
    MessageDeflater deflater(10);
    MessageInflater inflater(false, 1 << 20);
    for (std::size_t size : {0U, 1U, 1000U, 100000U}) {
        std::string message(size, '\0');
        for (std::size_t i = 0; i < size; ++i) message[i] = static_cast<char>("{\"v\":12.5}"[i % 10] + (i / 997) % 3);
        std::string compressed;
        deflater.compress(message, compressed);
        std::string out;
        ASSERT_EQ(inflater.inflate(compressed, out), Result::ok) << size;
        EXPECT_EQ(out, message) << size;
    }
}

TEST(WsDeflate, CorruptInputIsReportedNotCrashedOn) {
    MessageInflater inflater(true, 1024);
    std::string out;
    EXPECT_EQ(inflater.inflate(std::string("\xff\xff\xff\xff\xff", 5), out), Result::corrupt);
}

TEST(WsDeflate, ExpansionBeyondTheLimitIsRefused) {
    MessageDeflater deflater;
    std::string compressed;
    deflater.compress(std::string(100000, 'a'), compressed);
    EXPECT_LT(compressed.size(), 1000U);
    MessageInflater inflater(false, 50000);
    std::string out;
    EXPECT_EQ(inflater.inflate(compressed, out), Result::too_big);
    EXPECT_LE(out.size(), 50001U);
    MessageInflater roomy(false, 100000);
    EXPECT_EQ(roomy.inflate(compressed, out), Result::ok);
    EXPECT_EQ(out.size(), 100000U);
}

}  // namespace
