#include "evsim/producers/cors.hpp"

#include <algorithm>
#include <string>

#include <boost/beast/http/field.hpp>

namespace evsim::producers {

namespace http = boost::beast::http;

namespace {

bool allows_any_origin(const scenario::CorsPolicy& policy) {
    return std::find(policy.allow_origins.begin(), policy.allow_origins.end(), "*") != policy.allow_origins.end();
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

}  // namespace

bool cors_is_static(const scenario::CorsPolicy& policy) noexcept {
    return allows_any_origin(policy) && !policy.allow_credentials;
}

void apply_cors(const scenario::CorsPolicy& policy, const Request& request, http::fields& fields) {
    if (cors_is_static(policy)) {
        fields.set(http::field::access_control_allow_origin, "*");
        return;
    }
    // The answer depends on the Origin from here on, even when it is refused; a `*` set by a
    // generic response builder must not survive a refusal.
    fields.erase(http::field::access_control_allow_origin);
    fields.erase(http::field::access_control_allow_credentials);
    fields.set(http::field::vary, "Origin");
    const auto origin = request[http::field::origin];
    if (origin.empty()) return;  // not a cross-origin request: nothing to allow
    const std::string_view asked(origin.data(), origin.size());
    const bool listed = allows_any_origin(policy) ||
                        std::find(policy.allow_origins.begin(), policy.allow_origins.end(), asked) !=
                            policy.allow_origins.end();
    if (!listed) return;
    fields.set(http::field::access_control_allow_origin, asked);
    if (policy.allow_credentials) fields.set(http::field::access_control_allow_credentials, "true");
}

Response make_cors_preflight(const scenario::CorsPolicy& policy, const Request& request, std::string_view methods) {
    Response response{http::status::no_content, request.version()};
    apply_cors(policy, request, response.base());
    response.set(http::field::access_control_allow_methods, methods);
    if (!policy.allow_headers.empty()) {
        response.set(http::field::access_control_allow_headers, join(policy.allow_headers));
    } else {
        // Echo what the browser asks for: older browsers do not understand the `*` wildcard here.
        const auto requested = request[http::field::access_control_request_headers];
        response.set(http::field::access_control_allow_headers,
                     requested.empty() ? std::string_view("*") : std::string_view(requested.data(), requested.size()));
    }
    if (policy.max_age) response.set(http::field::access_control_max_age, std::to_string(policy.max_age->count()));
    response.keep_alive(request.keep_alive());
    return response;
}

}  // namespace evsim::producers
