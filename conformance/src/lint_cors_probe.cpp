// FETCH credentials: the value itself, and with --probe what the server answers a credentialed CORS
// request. A browser sends `credentials: 'include'` requests with the page's Origin and delivers the
// answer only when it carries `Access-Control-Allow-Origin` equal to that origin (never `*`) and
// `Access-Control-Allow-Credentials: true` (Fetch Standard, CORS check).
#include <cstdio>

#include "cors_parts.hpp"
#include "lint_parts.hpp"

namespace evsim::conformance {

CorsProbe live_cors_probe(std::chrono::milliseconds timeout) {
    return [timeout](const std::string& url, const std::string& method, const std::string& origin) {
        net::HttpQuestion question;
        question.method = method;
        question.headers.emplace_back("Origin", origin);
        question.user_agent = "evsim lint";
        return net::http_exchange(net::parse_url(url), question, timeout);
    };
}

namespace detail {

std::string number_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", value);
    return text;
}

void check_credentials(const js::Value& item, const std::optional<net::Endpoint>& endpoint,
                       const LintOptions& options, EntryLint& lint) {
    const js::Value* credentials = item.find("credentials");
    if (!credentials || credentials->is_nullish()) return;  // the default, "omit"
    if (!credentials->is_string() ||
        (credentials->as_string() != "omit" && credentials->as_string() != "same-origin" &&
         credentials->as_string() != "include")) {
        lint.add(Severity::error, "credentials", credentials,
                 "'credentials' must be 'omit', 'same-origin' or 'include', got " + js::describe(*credentials));
        return;
    }
    if (credentials->as_string() != "include" || !endpoint) return;
    const std::string url = endpoint->to_string();
    if (!options.probe) {
        lint.add(Severity::info, "credentials", credentials,
                 "credentials 'include' needs the server to allow " + options.origin +
                     " by name with credentials (never '*'); run with --probe to ask it");
        return;
    }
    const js::Value* method = item.find("method");
    const std::string verb = method && method->is_string() && !method->as_string().empty() ? method->as_string() : "GET";
    try {
        const auto answer = (*options.probe)(url, verb, options.origin);
        if (auto problem = credentialed_cors_problem(answer.headers, options.origin); !problem.empty())
            lint.add(Severity::error, "credentials", credentials,
                     "credentials 'include', but " + url + " " + problem);
    } catch (const std::exception& e) {  // HttpExchangeError, UrlError
        lint.add(Severity::warning, "credentials", credentials, "could not ask " + url + " (--probe): " + e.what());
    }
}

}  // namespace detail
}  // namespace evsim::conformance
