// CORS answers from a scenario's CorsPolicy. The default policy (every origin, no credentials) gives
// every response `Access-Control-Allow-Origin: *`, as the samples do. A list of origins echoes the
// request's Origin when it is listed (with `Vary: Origin`, so caches keep the answers apart) and
// sends no CORS header otherwise, which is how a real server refuses: the browser blocks the read.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <string_view>

#include "evsim/core/scenario.hpp"
#include "evsim/producers/http_types.hpp"

namespace evsim::producers {

// True when the policy's headers are the same for every request (a response can be built once).
bool cors_is_static(const scenario::CorsPolicy& policy) noexcept;

// Sets Access-Control-Allow-Origin (and -Credentials, Vary) on `fields` for `request`'s Origin.
void apply_cors(const scenario::CorsPolicy& policy, const Request& request, boost::beast::http::fields& fields);

// 204 answer to a preflight (OPTIONS): the origin headers above plus the allowed `methods`, the
// allowed request headers (the policy's list, or the ones the browser asks for when the policy
// names none) and Access-Control-Max-Age when the policy sets it.
Response make_cors_preflight(const scenario::CorsPolicy& policy, const Request& request, std::string_view methods);

}  // namespace evsim::producers
