// Base64 (RFC 4648 section 4) and its URL-safe form without padding (section 5, as JSON Web Tokens
// use it), on OpenSSL's encoder.
#pragma once

#include <string>
#include <string_view>

namespace evsim::base64 {

std::string encode(std::string_view bytes);
// '-' and '_' for '+' and '/', no '=' padding.
std::string encode_url(std::string_view bytes);

}  // namespace evsim::base64
