// Base64 and base64url on RFC 4648's test vectors (section 10) and bytes that differ between them.
#include <gtest/gtest.h>

#include "evsim/core/base64.hpp"

namespace evsim::base64 {
namespace {

TEST(Base64, Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                           {"foo", "Zm9v"}, {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [in, out] : vectors) EXPECT_EQ(encode(in), out) << in;
}

TEST(Base64, UrlFormReplacesPlusAndSlashAndDropsPadding) {
    const std::string bytes("\xfb\xff\xbf", 3);
    EXPECT_EQ(encode(bytes), "+/+/");
    EXPECT_EQ(encode_url(bytes), "-_-_");
    EXPECT_EQ(encode_url("f"), "Zg");
    EXPECT_EQ(encode_url(R"({"alg":"HS256","typ":"JWT"})"), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
    EXPECT_EQ(encode_url(std::string("\0\0", 2)), "AAA");
}

}  // namespace
}  // namespace evsim::base64
