#include "cors_parts.hpp"

#include <sstream>

#include "check_parts.hpp"

namespace evsim::conformance::detail {

namespace {

// The comma-separated tokens of a header value, lower case and trimmed.
std::vector<std::string> tokens(const std::string& value) {
    std::vector<std::string> out;
    std::stringstream in(value);
    std::string token;
    while (std::getline(in, token, ',')) {
        const auto first = token.find_first_not_of(" \t");
        if (first == std::string::npos) continue;
        const auto last = token.find_last_not_of(" \t");
        out.push_back(lower(token.substr(first, last - first + 1)));
    }
    return out;
}

// Whether Access-Control-Allow-Headers `list` allows `wanted`: '*' allows any header but
// Authorization, which Fetch requires by name.
bool allows(const std::string* list, const std::string& wanted) {
    if (!list) return false;
    for (const auto& token : tokens(*list))
        if (token == wanted || (token == "*" && wanted != "authorization")) return true;
    return false;
}

}  // namespace

std::string credentialed_cors_problem(const net::HeaderList& headers, const std::string& origin) {
    const std::string* allow_origin = net::find_header(headers, "Access-Control-Allow-Origin");
    if (!allow_origin) return "answers without Access-Control-Allow-Origin: the browser blocks the response";
    if (*allow_origin == "*")
        return "answers Access-Control-Allow-Origin: *, which browsers refuse for requests with credentials";
    if (*allow_origin != origin)
        return "allows the origin " + *allow_origin + ", not " + origin + ": the browser blocks the response";
    const std::string* credentials = net::find_header(headers, "Access-Control-Allow-Credentials");
    if (!credentials || *credentials != "true")
        return "does not answer Access-Control-Allow-Credentials: true: the browser blocks the response";
    return {};
}

CheckResult credentials_result(const std::string& kind, const std::string& who, const net::HeaderList& headers,
                               const std::string& origin) {
    const std::string problem = credentialed_cors_problem(headers, origin);
    return make_result(kind + ".credentials", who + " may read it", "Fetch Standard (CORS check, credentials mode include)",
                       Level::info, problem.empty(),
                       "Access-Control-Allow-Origin: " + origin + " (never *) and Access-Control-Allow-Credentials: true",
                       problem.empty() ? "allowed" : "the server " + problem);
}

CheckResult preflight_result(const std::string& kind, const net::Endpoint& endpoint, const std::string& headers,
                             const ServerCheckOptions& options) {
    net::HttpQuestion question;
    question.method = "OPTIONS";
    question.headers = {{"Origin", options.origin},
                        {"Access-Control-Request-Method", "GET"},
                        {"Access-Control-Request-Headers", headers}};
    question.user_agent = "evsim check";
    question.tls = options.tls;
    const auto answer = net::http_exchange(endpoint, question, options.timeout);

    std::vector<std::string> problems;
    if (answer.status < 200 || answer.status > 299) problems.push_back("answered " + std::to_string(answer.status));
    const std::string* allow_origin = answer.header("Access-Control-Allow-Origin");
    if (!allow_origin || (*allow_origin != "*" && *allow_origin != options.origin))
        problems.push_back(allow_origin ? "Access-Control-Allow-Origin: " + *allow_origin
                                        : "no Access-Control-Allow-Origin");
    // GET is a CORS-safelisted method: no Access-Control-Allow-Methods needed for it.
    const std::string* allow_headers = answer.header("Access-Control-Allow-Headers");
    for (const auto& header : tokens(headers))
        if (!allows(allow_headers, header)) problems.push_back(header + " not in Access-Control-Allow-Headers");
    std::string observed;
    for (const auto& p : problems) observed += (observed.empty() ? "" : "; ") + p;
    return make_result(kind + ".preflight", "a preflight for a stream with headers is answered",
                       "Fetch Standard (CORS-preflight fetch)", Level::info, problems.empty(),
                       "OPTIONS answered 2xx, allowing " + options.origin + " and the headers " + headers,
                       problems.empty() ? std::to_string(answer.status) + ", allowed" : observed);
}

}  // namespace evsim::conformance::detail
