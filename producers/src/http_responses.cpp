#include "evsim/producers/http_responses.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/object.hpp>
#include <utility>

namespace evsim::producers {

namespace http = boost::beast::http;

std::string_view target_path(std::string_view target) {
    if (target.empty() || target == "*") return target;
    if (target.front() != '/') {
        // Absolute form ("http://host:port/path?query"), which proxies send.
        const auto scheme_end = target.find("://");
        if (scheme_end == std::string_view::npos) return target;
        const auto path_start = target.find('/', scheme_end + 3);
        if (path_start == std::string_view::npos) return "/";
        target.remove_prefix(path_start);
    }
    return target.substr(0, target.find_first_of("?#"));
}

bool path_matches(std::string_view target, const std::optional<std::string>& path) {
    return !path || target_path(target) == *path;
}

namespace {

void set_common_fields(Response& response) {
    response.set(http::field::access_control_allow_origin, "*");
    response.set(http::field::cache_control, "no-cache");
}

}  // namespace

void strip_body_for_head(const Request& request, Response& response) {
    // Content-Length stays as prepare_payload() set it from the body GET would have sent.
    if (request.method() == http::verb::head) response.body().clear();
}

Response make_text_response(const Request& request, http::status status, std::string body) {
    Response response{status, request.version()};
    set_common_fields(response);
    response.set(http::field::content_type, "text/plain");
    response.body() = std::move(body);
    response.prepare_payload();
    response.keep_alive(request.keep_alive());
    strip_body_for_head(request, response);
    return response;
}

Response make_preflight_response(const Request& request, std::string_view methods) {
    Response response{http::status::no_content, request.version()};
    response.set(http::field::access_control_allow_origin, "*");
    response.set(http::field::access_control_allow_methods, methods);
    // Echo what the browser asks for: older browsers do not understand the `*` wildcard here.
    const auto requested = request[http::field::access_control_request_headers];
    response.set(http::field::access_control_allow_headers,
                 requested.empty() ? std::string_view("*") : std::string_view(requested.data(), requested.size()));
    response.set(http::field::access_control_max_age, "86400");
    response.keep_alive(request.keep_alive());
    return response;
}

Response make_method_not_allowed(const Request& request, std::string_view methods) {
    auto response = make_text_response(request, http::status::method_not_allowed,
                                       "method " + std::string(request.method_string()) + " not allowed\n");
    response.set(http::field::allow, methods);
    return response;
}

Response make_not_found(const Request& request) {
    return make_text_response(request, http::status::not_found,
                              "no event source at " + std::string(target_path(request.target())) + "\n");
}

Response make_error_response(http::status status, std::string_view detail) {
    Response response{status, 11};
    response.set(http::field::access_control_allow_origin, "*");
    response.set(http::field::content_type, "text/plain");
    response.body() = std::string(http::obsolete_reason(status)) + ": " + std::string(detail) + "\n";
    response.prepare_payload();
    response.keep_alive(false);
    return response;
}

Response make_json_error_response(http::status status, std::string_view detail) {
    auto response = make_error_response(status, detail);
    response.set(http::field::content_type, "application/json");
    response.body() = boost::json::serialize(boost::json::object{{"error", detail}}) + "\n";
    response.prepare_payload();
    return response;
}

Response make_fault_response(const faults::FaultSpec& fault, const Request& request) {
    const auto status = static_cast<http::status>(fault.status);
    if (fault.kind == faults::Kind::redirect) {
        auto response = make_text_response(request, status, "redirected to " + fault.location + " (evsim fault)\n");
        response.set(http::field::location, fault.location);
        return response;
    }
    if (fault.status == 204) {
        Response response{status, request.version()};
        set_common_fields(response);
        response.keep_alive(request.keep_alive());
        return response;
    }
    return make_text_response(request, status,
                              std::to_string(fault.status) + " " + std::string(http::obsolete_reason(status)) +
                                  " (evsim fault)\n");
}

}  // namespace evsim::producers
