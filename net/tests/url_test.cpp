#include <gtest/gtest.h>

#include "evsim/net/url.hpp"

namespace evsim::net {
namespace {

TEST(Url, ParsesSchemesPortsAndTargets) {
    const Endpoint a = parse_url("http://localhost:8081");
    EXPECT_EQ(a.scheme, "http");
    EXPECT_EQ(a.host, "localhost");
    EXPECT_EQ(a.port, 8081);
    EXPECT_EQ(a.target, "/");
    EXPECT_FALSE(a.tls());
    EXPECT_EQ(a.host_header(), "localhost:8081");

    const Endpoint b = parse_url("HTTPS://example.test/db/watch/x?tag=a&tag=b");
    EXPECT_EQ(b.scheme, "https");
    EXPECT_EQ(b.port, 443);
    EXPECT_EQ(b.target, "/db/watch/x?tag=a&tag=b");
    EXPECT_TRUE(b.tls());
    EXPECT_EQ(b.host_header(), "example.test");

    const Endpoint c = parse_url("ws://[::1]:9000/stream");
    EXPECT_EQ(c.host, "::1");
    EXPECT_EQ(c.host_header(), "[::1]:9000");
    EXPECT_EQ(c.to_string(), "ws://[::1]:9000/stream");
}

TEST(Url, RejectsWhatItCannotConnectTo) {
    EXPECT_THROW(parse_url("ftp://host/x"), UrlError);
    EXPECT_THROW(parse_url("localhost:8080"), UrlError);
    EXPECT_THROW(parse_url("http:///path"), UrlError);
    EXPECT_THROW(parse_url("http://host:99999/"), UrlError);
    EXPECT_THROW(parse_url("http://host:0/"), UrlError);
    EXPECT_THROW(parse_url("not a url"), UrlError);
    EXPECT_THROW(parse_url(""), UrlError);
}

TEST(Url, ResolvesRedirects) {
    const Endpoint base = parse_url("http://127.0.0.1:1234/a/b?x=1");
    EXPECT_EQ(resolve_redirect(base, "/c").to_string(), "http://127.0.0.1:1234/c");
    EXPECT_EQ(resolve_redirect(base, "d").to_string(), "http://127.0.0.1:1234/a/d");
    EXPECT_EQ(resolve_redirect(base, "https://other.test/e").to_string(), "https://other.test/e");
    EXPECT_THROW(resolve_redirect(base, "mailto:x@y"), UrlError);
}

}  // namespace
}  // namespace evsim::net
