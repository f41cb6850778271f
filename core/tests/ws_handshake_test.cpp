// The opening handshake's computations and the permessage-deflate negotiation (RFC 7692 section 7.1).
#include <gtest/gtest.h>

#include "evsim/core/ws_handshake.hpp"

namespace {

using evsim::ws::negotiate_deflate;

TEST(WsHandshake, AcceptKeyOfTheRfcExample) {
    EXPECT_EQ(evsim::ws::accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsHandshake, ClientKeysAreBase64Of16Bytes) {
    EXPECT_TRUE(evsim::ws::is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ=="));
    const auto key = evsim::ws::client_key({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    EXPECT_EQ(key, "AQIDBAUGBwgJCgsMDQ4PEA==");
    EXPECT_TRUE(evsim::ws::is_valid_client_key(key));
    for (const char* bad : {"", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZQ===", "dGhlIHNhbXBsZSBub25jZ!==",
                            "dGhlIHNhbXBsZSBub25jZQAA", "aGVsbG8="}) {
        EXPECT_FALSE(evsim::ws::is_valid_client_key(bad)) << bad;
    }
}

TEST(WsHandshake, ListContains) {
    EXPECT_TRUE(evsim::ws::list_contains("keep-alive, Upgrade", "upgrade"));
    EXPECT_TRUE(evsim::ws::list_contains("Upgrade", "upgrade"));
    EXPECT_TRUE(evsim::ws::list_contains(" upgrade\t", "upgrade"));
    EXPECT_FALSE(evsim::ws::list_contains("upgraded", "upgrade"));
    EXPECT_FALSE(evsim::ws::list_contains("", "upgrade"));
    EXPECT_TRUE(evsim::ws::list_contains("chat, evsim.v1", "evsim.v1", true));
    EXPECT_FALSE(evsim::ws::list_contains("chat, EVSIM.v1", "evsim.v1", true));
}

TEST(WsHandshake, PlainOfferIsAcceptedWithoutServerContextTakeover) {
    const auto agreed = negotiate_deflate("permessage-deflate");
    ASSERT_TRUE(agreed);
    EXPECT_TRUE(agreed->server_no_context_takeover);
    EXPECT_FALSE(agreed->client_no_context_takeover);
    EXPECT_EQ(agreed->response, "permessage-deflate; server_no_context_takeover");
}

TEST(WsHandshake, BrowserOfferWithClientMaxWindowBits) {
    const auto agreed = negotiate_deflate("permessage-deflate; client_max_window_bits");
    ASSERT_TRUE(agreed);
    EXPECT_EQ(agreed->response, "permessage-deflate; server_no_context_takeover");
}

TEST(WsHandshake, ParametersAreHonoured) {
    const auto agreed = negotiate_deflate(
        "permessage-deflate; client_no_context_takeover; server_max_window_bits=\"10\"; client_max_window_bits=12");
    ASSERT_TRUE(agreed);
    EXPECT_TRUE(agreed->client_no_context_takeover);
    EXPECT_EQ(agreed->server_max_window_bits, 10);
    EXPECT_EQ(agreed->client_max_window_bits, 12);
    EXPECT_EQ(agreed->response,
              "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10");
}

TEST(WsHandshake, UnacceptableOffersFallBackToTheNextOne) {
    // RFC 7692 section 7.1.3's example: the first offer with a window the server cannot use.
    const auto agreed = negotiate_deflate(
        "permessage-deflate; server_max_window_bits=8, permessage-deflate; client_no_context_takeover");
    ASSERT_TRUE(agreed);
    EXPECT_TRUE(agreed->client_no_context_takeover);
    EXPECT_EQ(agreed->server_max_window_bits, 15);
}

TEST(WsHandshake, BadOffersAreDeclined) {
    for (const char* offer : {"", "x-webkit-deflate-frame", "permessage-deflate; unknown=1",
                              "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                              "permessage-deflate; server_no_context_takeover=1", "permessage-deflate; server_max_window_bits",
                              "permessage-deflate; server_max_window_bits=16", "permessage-deflate; server_max_window_bits=09",
                              "permessage-deflate; client_max_window_bits=7", "permessage-deflate; client_max_window_bits=abc",
                              "permessage-deflate;", "permessage-deflate; server_max_window_bits=\"10",
                              "permessage-deflate server_no_context_takeover"}) {
        EXPECT_FALSE(negotiate_deflate(offer)) << offer;
    }
}

TEST(WsHandshake, OtherExtensionsBeforeDeflateAreSkipped) {
    const auto agreed = negotiate_deflate("x-foo; a=\"quoted, with comma\", permessage-deflate");
    ASSERT_TRUE(agreed);
}

}  // namespace
