// What the server checks share: making a result from a check's outcome and small text helpers.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/conformance/check_result.hpp"

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
// "<kind>.redirect" for the hops followed ("302 to http://..."): INFO listing them, or FAIL when
// `looped` (the last answer still redirected after kMaxRedirects).
CheckResult redirect_result(const std::string& kind, const std::vector<std::string>& hops, bool looped);

}  // namespace evsim::conformance::detail
