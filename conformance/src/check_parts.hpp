// What the server checks share: making a result from a check's outcome and small text helpers.
#pragma once

#include <chrono>
#include <string>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evsim/conformance/check_result.hpp"
#include "evsim/net/url.hpp"

namespace evsim::conformance::detail {

// PASS when `ok`; otherwise FAIL for a MUST, NON-STRICT for a SHOULD, INFO for INFO.
CheckResult make_result(std::string id, std::string title, std::string clause, Level level, bool ok,
                        std::string expected, std::string observed);

std::string lower(std::string_view text);
// "12.5 ms"
std::string milliseconds_text(std::chrono::microseconds time);
// The media type without parameters, lower case: "text/event-stream" of "Text/Event-Stream; charset=utf-8".
std::string media_type(std::string_view content_type);

// Redirects, which EventSource and fetch() both follow, at most Fetch's 20 of them.
constexpr std::size_t kMaxRedirects = 20;
bool is_redirect(unsigned status);
// One redirect hop as Fetch takes it: the endpoint `location` names (relative to `from`); when it is
// on another origin the request loses its credentials (Authorization, Cookie) and its Origin
// becomes "null", so no token leaks to another host and CORS is judged as the browser judges it.
// Throws net::UrlError for a Location that is no http(s) URL.
net::Endpoint redirect_hop(const net::Endpoint& from, std::string_view location,
                           std::vector<std::pair<std::string, std::string>>& headers);

// The redirects one check followed, for redirect_result.
struct RedirectTrail {
    std::vector<std::string> hops;  // "302 to http://..."
    bool bad_location = false;      // the last Location could not be followed
};

// Follows redirects from `answer` as EventSource's and fetch()'s Fetch does: at most kMaxRedirects
// hops, each through redirect_hop on `endpoint` and `headers` (the request's own, updated in place);
// `ask()` sends the request again. Returns the last answer; the hops go to `trail`.
template <class Answer, class Ask>
Answer follow_redirects(Answer answer, net::Endpoint& endpoint, std::vector<std::pair<std::string, std::string>>& headers,
                        RedirectTrail& trail, Ask ask) {
    while (is_redirect(answer.status) && answer.header("Location") && trail.hops.size() < kMaxRedirects) {
        const std::string location = *answer.header("Location");
        try {
            endpoint = redirect_hop(endpoint, location, headers);
        } catch (const net::UrlError& e) {
            trail.hops.push_back(std::to_string(answer.status) + " to " + location + " (" + e.what() + ")");
            trail.bad_location = true;
            break;
        }
        trail.hops.push_back(std::to_string(answer.status) + " to " + endpoint.to_string());
        answer = ask();
    }
    return answer;
}

// "<kind>.redirect" when redirects were followed: INFO listing the hops, or FAIL when the last
// answer (`last_status`) still redirects after kMaxRedirects or a Location could not be followed.
std::optional<CheckResult> redirect_result(const std::string& kind, const RedirectTrail& trail, unsigned last_status);

}  // namespace evsim::conformance::detail
