// Building the emitters' HTTP responses. Every response carries `Access-Control-Allow-Origin: *`
// like the samples', so a dashboard served from another origin can read errors too.
#pragma once

#include <boost/beast/http/status.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "evsim/core/faults.hpp"
#include "evsim/producers/http_types.hpp"

namespace evsim::producers {

// The path of a request target: "/a?b" -> "/a", absolute form "http://h:1/a?b" -> "/a",
// "http://h" -> "/", "*" -> "*".
std::string_view target_path(std::string_view target);

// True when no path is configured (any path is served) or the target's path equals it.
bool path_matches(std::string_view target, const std::optional<std::string>& path);

// A text/plain response with `Cache-Control: no-cache` and Content-Length, in the request's HTTP
// version, keep-alive as the request asks. For HEAD the body is left out but Content-Length stays.
Response make_text_response(const Request& request, boost::beast::http::status status, std::string body);

// 204 answer to a CORS preflight: allows `methods` and whatever headers the browser asked for.
Response make_preflight_response(const Request& request, std::string_view methods);

// 405 with `Allow: methods`.
Response make_method_not_allowed(const Request& request, std::string_view methods);

// 404 for a path other than the configured one.
Response make_not_found(const Request& request);

// An answer to a request that could not be read (400, 413, 431, 505): HTTP/1.1, Connection: close.
Response make_error_response(boost::beast::http::status status, std::string_view detail);

// The same as JSON, `{"error":"detail"}`, for servers whose clients parse every answer.
Response make_json_error_response(boost::beast::http::status status, std::string_view detail);

// The answer a request fault gives instead of the normal one: `status` with a short text body
// (none for 204), or a redirect to `location`. Not for content_type faults.
Response make_fault_response(const faults::FaultSpec& fault, const Request& request);

// Leaves the body out when answering HEAD (after Content-Length was set from it).
void strip_body_for_head(const Request& request, Response& response);

}  // namespace evsim::producers
