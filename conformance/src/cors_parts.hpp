// CORS as a browser applies it, shared by the server checks (sse.credentials, sse.preflight,
// fetch.credentials) and evsim lint --probe: what a page on another origin may read.
#pragma once

#include <string>

#include "evsim/conformance/check_result.hpp"
#include "evsim/conformance/server_checks.hpp"
#include "evsim/net/http_exchange.hpp"
#include "evsim/net/url.hpp"

namespace evsim::conformance::detail {

// What keeps a page on `origin` from reading an answer to a request with credentials (cookies,
// withCredentials): the origin must be allowed by name, never '*', with
// Access-Control-Allow-Credentials: true (Fetch Standard, CORS check). Empty when nothing does.
std::string credentialed_cors_problem(const net::HeaderList& headers, const std::string& origin);

// "<kind>.credentials" (INFO): whether `who` (a credentialed EventSource, a fetch with
// credentials: 'include') could read an answer with these headers.
CheckResult credentials_result(const std::string& kind, const std::string& who, const net::HeaderList& headers,
                               const std::string& origin);

// "<kind>.preflight" (INFO): the CORS preflight a client that adds headers sends (fetch-based
// EventSource clients add Authorization; every reconnection adds Last-Event-ID): OPTIONS with
// Access-Control-Request-Method GET and Access-Control-Request-Headers `headers`, answered 2xx
// with the origin and those headers allowed. Throws what http_exchange throws.
CheckResult preflight_result(const std::string& kind, const net::Endpoint& endpoint, const std::string& headers,
                             const ServerCheckOptions& options);

}  // namespace evsim::conformance::detail
