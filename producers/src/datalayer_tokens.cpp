#include "datalayer_tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "evsim/core/base64.hpp"

namespace evsim::producers {

namespace {

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("no randomness for token keys (RAND_bytes failed)");
    return out;
}

bool same_secret(std::string_view a, std::string_view b) {
    // Constant time in the content, so that timing does not leak how much of a password matched.
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string_view bearer_token(std::string_view authorization) noexcept {
    constexpr std::string_view scheme = "bearer ";
    if (authorization.size() <= scheme.size() ||
        !boost::algorithm::iequals(authorization.substr(0, scheme.size()), scheme))
        return {};
    auto token = authorization.substr(scheme.size());
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    return token;
}

DatalayerTokens::DatalayerTokens(std::vector<scenario::DatalayerUser> users, std::chrono::microseconds lifetime,
                                 std::size_t max_sessions)
    : users_(std::move(users)), lifetime_(lifetime), max_sessions_(max_sessions), key_(random_bytes(32)) {}

std::string DatalayerTokens::sign(std::string_view header_and_payload) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
         reinterpret_cast<const unsigned char*>(header_and_payload.data()), header_and_payload.size(), digest, &size);
    return base64::encode_url(std::string_view(reinterpret_cast<const char*>(digest), size));
}

void DatalayerTokens::forget_expired(Clock::time_point now) {
    std::erase_if(sessions_, [now](const auto& entry) { return entry.second.expires <= now; });
}

std::variant<std::string, DatalayerTokens::Refusal> DatalayerTokens::issue(std::string_view name,
                                                                          std::string_view password,
                                                                          Clock::time_point now) {
    bool known = false;
    for (const auto& user : users_) known = (user.name == name && same_secret(user.password, password)) || known;
    if (!known) return Refusal::bad_credentials;
    forget_expired(now);
    if (sessions_.size() >= max_sessions_) return Refusal::too_many_sessions;
    const auto seconds = [](Clock::time_point t) {
        return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    };
    const auto expires = now + std::chrono::duration_cast<Clock::duration>(lifetime_);
    const std::string header = base64::encode_url(R"({"alg":"HS256","typ":"JWT"})");
    const std::string payload = base64::encode_url(boost::json::serialize(boost::json::object{
        {"name", name},
        {"iat", seconds(now)},
        {"exp", seconds(expires)},
        {"jti", base64::encode_url(random_bytes(12))},  // makes every token unique
    }));
    const std::string signed_part = header + "." + payload;
    std::string token = signed_part + "." + sign(signed_part);
    sessions_.emplace(token, Session{std::string(name), expires});
    return token;
}

std::optional<std::string> DatalayerTokens::user_of(std::string_view authorization, Clock::time_point now) {
    const auto token = bearer_token(authorization);
    if (token.empty()) return std::nullopt;
    const auto it = sessions_.find(token);
    if (it == sessions_.end()) return std::nullopt;
    if (it->second.expires <= now) {
        sessions_.erase(it);
        return std::nullopt;
    }
    return it->second.user;
}

bool DatalayerTokens::close(std::string_view authorization, Clock::time_point now) {
    if (!user_of(authorization, now)) return false;
    sessions_.erase(sessions_.find(bearer_token(authorization)));
    return true;
}

}  // namespace evsim::producers
