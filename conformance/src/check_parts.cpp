#include "check_parts.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace evsim::conformance::detail {

CheckResult make_result(std::string id, std::string title, std::string clause, Level level, bool ok,
                        std::string expected, std::string observed) {
    const Verdict verdict = ok ? Verdict::pass
                               : level == Level::must ? Verdict::fail
                               : level == Level::should ? Verdict::non_strict
                                                        : Verdict::info;
    return {std::move(id), std::move(title), std::move(clause), level, verdict, std::move(expected),
            std::move(observed), ""};
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string milliseconds_text(std::chrono::microseconds time) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(time.count()) / 1000);
    return text;
}

std::string media_type(std::string_view content_type) {
    std::string type = lower(content_type.substr(0, content_type.find(';')));
    const auto last = type.find_last_not_of(" \t");
    type.erase(last == std::string::npos ? 0 : last + 1);
    const auto first = type.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : type.substr(first);
}

bool is_redirect(unsigned status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::optional<CheckResult> redirect_result(const std::string& kind, const RedirectTrail& trail, unsigned last_status) {
    if (trail.hops.empty()) return std::nullopt;
    std::string failure;
    if (trail.bad_location) failure = "a redirect that cannot be followed";
    else if (is_redirect(last_status)) failure = "more than " + std::to_string(kMaxRedirects) + " redirects";
    std::string path;
    for (const auto& hop : trail.hops) path += (path.empty() ? "" : ", then ") + hop;
    return make_result(kind + ".redirect", "redirects end at the resource", "WHATWG Fetch (HTTP-redirect fetch)",
                       failure.empty() ? Level::info : Level::must, false, "the resource, or no redirect",
                       (failure.empty() ? "followed " : failure + ": ") + path);
}

net::Endpoint redirect_hop(const net::Endpoint& from, std::string_view location,
                           std::vector<std::pair<std::string, std::string>>& headers) {
    auto to = net::resolve_redirect(from, location);
    if (to.scheme != "http" && to.scheme != "https") throw net::UrlError("a redirect to " + to.to_string());
    const bool same_origin = to.scheme == from.scheme && to.host == from.host && to.port == from.port;
    if (!same_origin) {
        std::erase_if(headers, [](const auto& h) { return lower(h.first) == "authorization" || lower(h.first) == "cookie"; });
        for (auto& [name, value] : headers)
            if (lower(name) == "origin") value = "null";
    }
    return to;
}

}  // namespace evsim::conformance::detail
