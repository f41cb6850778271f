// The fetch (HTTP polling) server checks: what a dashboard's fetch() needs of the answer. The
// clauses are the Fetch Standard's (CORS check, credentials) and HTTP caching (RFC 9111).
#include <boost/json/parse.hpp>

#include "check_parts.hpp"
#include "cors_parts.hpp"
#include "evsim/conformance/server_checks.hpp"
#include "evsim/net/http_exchange.hpp"
#include "evsim/net/url.hpp"

namespace evsim::conformance {

using detail::lower;
using detail::make_result;

std::vector<CheckResult> check_fetch_server(const std::string& url, const ServerCheckOptions& options) {
    net::HttpQuestion question;
    question.headers = {{"Origin", options.origin}};
    question.headers.insert(question.headers.end(), options.headers.begin(), options.headers.end());
    question.user_agent = "evsim check";
    question.tls = options.tls;
    // Redirects are followed, as fetch() follows them (at most Fetch's 20).
    auto endpoint = net::parse_url(url);
    detail::RedirectTrail trail;
    const auto answer = detail::follow_redirects(net::http_exchange(endpoint, question, options.timeout), endpoint,
                                                 question.headers, trail,
                                                 [&] { return net::http_exchange(endpoint, question, options.timeout); });

    std::vector<CheckResult> results;
    if (auto redirect = detail::redirect_result("fetch", trail, answer.status)) results.push_back(std::move(*redirect));
    const bool ok = answer.status >= 200 && answer.status < 300;
    results.push_back(make_result("fetch.status", "the answer is a success (2xx)", "Fetch Standard (ok status)",
                                  Level::must, ok, "200-299", std::to_string(answer.status)));
    // The type must be there, and a JSON document (an object or an array: what dashboards poll for
    // structured values) must say it is JSON, or a client that picks its parser by the type
    // (response.json() guards, frameworks) misreads it. A bare number as text/plain is fine.
    const std::string* type = answer.header("Content-Type");
    const std::string media = type ? detail::media_type(*type) : std::string();
    boost::system::error_code json_error;
    bool json_body = false;
    if (const auto parsed = boost::json::parse(answer.body, json_error); !json_error)
        json_body = parsed.is_object() || parsed.is_array();
    const bool json_type = media == "application/json" || (media.size() > 5 && media.ends_with("+json"));
    results.push_back(make_result("fetch.content-type", "the answer says what it is",
                                  "RFC 9110 8.3 (Content-Type); RFC 8259 11 (application/json)", Level::should,
                                  !media.empty() && (!json_body || json_type),
                                  json_body ? "application/json (the body is JSON)" : "a Content-Type",
                                  type ? *type : std::string("no Content-Type")));
    results.push_back(make_result("fetch.body", "the answer has a value", "the dashboard's FETCH source",
                                  Level::info, !answer.body.empty(), "a body",
                                  std::to_string(answer.body.size()) + " bytes"));

    // A polled value must not come from a cache: every poll should reach the server.
    const std::string* cache = answer.header("Cache-Control");
    const std::string cache_value = cache ? lower(*cache) : std::string();
    const bool uncached = cache_value.find("no-cache") != std::string::npos ||
                          cache_value.find("no-store") != std::string::npos ||
                          cache_value.find("max-age=0") != std::string::npos;
    results.push_back(make_result("fetch.cache", "Cache-Control keeps polls from reading stale values",
                                  "RFC 9111 5.2.2 (no-cache, no-store, max-age)", Level::should, uncached,
                                  "no-cache, no-store or max-age=0",
                                  cache ? *cache : std::string("no Cache-Control")));

    // Cross-origin reads: the browser hands the answer to the page only when the server allows the
    // page's origin; with credentials only by name (never '*') and with Allow-Credentials: true.
    const std::string* allow = answer.header("Access-Control-Allow-Origin");
    results.push_back(make_result("fetch.cors", "a page on " + options.origin + " may read the answer",
                                  "Fetch Standard (CORS check)", Level::must,
                                  allow && (*allow == "*" || *allow == options.origin),
                                  "Access-Control-Allow-Origin: * or " + options.origin,
                                  allow ? "Access-Control-Allow-Origin: " + *allow
                                        : "no Access-Control-Allow-Origin"));
    results.push_back(detail::credentials_result("fetch", "a fetch with credentials: 'include'", answer.headers,
                                                 options.origin));
    return results;
}

}  // namespace evsim::conformance
