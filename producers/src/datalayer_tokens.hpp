// The controller's identity manager as the ctrlx-datalayer dialect needs it: bearer tokens for the
// configured users, each valid for a lifetime or until its session is closed. Tokens look like the
// original's (a JSON Web Token, HS256-signed with a key made at start), but what makes one valid is
// this table, so a closed session's token stops working at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "evsim/core/scenario.hpp"

namespace evsim::producers {

class DatalayerTokens {
public:
    using Clock = std::chrono::system_clock;
    enum class Refusal {
        bad_credentials,    // 401
        too_many_sessions,  // 400, as the device answers when its session limit is reached
    };

    DatalayerTokens(std::vector<scenario::DatalayerUser> users, std::chrono::microseconds lifetime,
                    std::size_t max_sessions);

    // A new token for `name` when `password` is theirs.
    std::variant<std::string, Refusal> issue(std::string_view name, std::string_view password, Clock::time_point now);

    // The user of the token in an Authorization header ("Bearer TOKEN", the scheme in any case), when
    // it was issued here, has not expired and its session is open.
    std::optional<std::string> user_of(std::string_view authorization, Clock::time_point now);

    // Closes the session of the header's token; false when it was not valid.
    bool close(std::string_view authorization, Clock::time_point now);

    std::chrono::microseconds lifetime() const noexcept { return lifetime_; }
    std::size_t sessions() const noexcept { return sessions_.size(); }

private:
    struct Session {
        std::string user;
        Clock::time_point expires;
    };
    void forget_expired(Clock::time_point now);
    std::string sign(std::string_view header_and_payload) const;

    std::vector<scenario::DatalayerUser> users_;
    std::chrono::microseconds lifetime_;
    std::size_t max_sessions_;
    std::string key_;  // the HS256 key, random per producer
    std::map<std::string, Session, std::less<>> sessions_;
};

// "TOKEN" of "Bearer TOKEN" (the scheme case-insensitive, spaces around the token allowed); empty
// when the header is something else.
std::string_view bearer_token(std::string_view authorization) noexcept;

}  // namespace evsim::producers
