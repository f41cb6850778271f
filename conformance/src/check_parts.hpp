// What the server checks share: making a result from a check's outcome and small text helpers.
#pragma once

#include <chrono>
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
// "<kind>.redirect" for the hops followed ("302 to http://..."): INFO listing them, or FAIL saying
// `failure` ("more than 20 redirects", "a redirect that cannot be followed") when it is not empty.
CheckResult redirect_result(const std::string& kind, const std::vector<std::string>& hops, const std::string& failure);

// What redirect_result reports as a failure: the last answer still redirects after kMaxRedirects
// hops, or a Location could not be followed; empty when neither.
std::string redirect_failure(bool still_redirecting, bool bad_location);

// One redirect hop as Fetch takes it: the endpoint `location` names (relative to `from`); when it is
// on another origin the request loses its credentials (Authorization, Cookie) and its Origin
// becomes "null", so no token leaks to another host and CORS is judged as the browser judges it.
// Throws net::UrlError for a Location that is no http(s) URL.
net::Endpoint redirect_hop(const net::Endpoint& from, std::string_view location,
                           std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace evsim::conformance::detail
