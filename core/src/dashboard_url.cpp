// Just enough URL splitting for config.js entries: scheme, host, port and path, as a browser reads
// them. evsim_net has the full URL parser (Boost.URL), but core must not depend on net; what the
// dashboard mapping needs is small: an authority split and the path a browser would request.
#include <algorithm>
#include <cstdio>

#include "dashboard_parts.hpp"
#include "js_lexer.hpp"

namespace evsim::dashboard::detail {
namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_scheme_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
           c == '.';
}

// Browsers strip leading and trailing C0 controls and spaces before parsing.
std::string_view trim(std::string_view s) {
    while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
    while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
    return s;
}

// The WHATWG path percent-encode set: what a browser escapes before it sends the request line.
std::string encode_path(std::string_view path) {
    std::string out;
    for (const char ch : path) {
        const auto u = static_cast<unsigned char>(ch);
        const bool escape = u <= 0x20 || u >= 0x7F || ch == '"' || ch == '<' || ch == '>' || ch == '`' ||
                            ch == '{' || ch == '}';
        if (!escape) {
            out += ch;
            continue;
        }
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", u);
        out += hex;
    }
    return out;
}

}  // namespace

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const int high = i + 2 < text.size() ? js::detail::digit_value(text[i + 1], 16) : -1;
        const int low = i + 2 < text.size() ? js::detail::digit_value(text[i + 2], 16) : -1;
        if (text[i] == '%' && high >= 0 && low >= 0) {
            out += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::optional<UrlParts> split_url(std::string_view url, std::string& why) {
    std::string_view rest = trim(url);
    UrlParts parts;
    // A scheme is letters first, then letters, digits, + - . up to ':'; anything else is relative.
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos && colon > 0 &&
        ((rest[0] >= 'a' && rest[0] <= 'z') || (rest[0] >= 'A' && rest[0] <= 'Z')) &&
        std::all_of(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(colon), is_scheme_char)) {
        for (const char ch : rest.substr(0, colon)) parts.scheme += lower(ch);
        rest.remove_prefix(colon + 1);
        // Browsers read '\' as '/' in URLs of these schemes; so do we, for the same request.
        if (rest.size() < 2 || (rest[0] != '/' && rest[0] != '\\') || (rest[1] != '/' && rest[1] != '\\')) {
            why = "expected '" + parts.scheme + "://' followed by a host";
            return std::nullopt;
        }
        rest.remove_prefix(2);
        const auto authority_end = std::min(rest.find_first_of("/\\?#"), rest.size());
        std::string_view authority = rest.substr(0, authority_end);
        rest.remove_prefix(authority_end);
        if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
        std::string_view port_text;
        if (!authority.empty() && authority.front() == '[') {
            const auto close = authority.find(']');
            if (close == std::string_view::npos) {
                why = "invalid host '" + std::string(authority) + "' (no closing ']')";
                return std::nullopt;
            }
            parts.host = std::string(authority.substr(0, close + 1));
            const std::string_view after = authority.substr(close + 1);
            if (!after.empty() && after.front() != ':') {
                why = "invalid host '" + std::string(authority) + "'";
                return std::nullopt;
            }
            if (!after.empty()) port_text = after.substr(1);
        } else {
            const auto port_colon = authority.rfind(':');
            parts.host = std::string(authority.substr(0, port_colon));
            if (port_colon != std::string_view::npos) port_text = authority.substr(port_colon + 1);
        }
        std::transform(parts.host.begin(), parts.host.end(), parts.host.begin(), lower);
        if (!port_text.empty()) {
            std::uint32_t port = 0;
            for (const char ch : port_text) {
                if (ch < '0' || ch > '9' || port > 65535) {
                    why = "invalid port '" + std::string(port_text) + "'";
                    return std::nullopt;
                }
                port = port * 10 + static_cast<std::uint32_t>(ch - '0');
            }
            if (port > 65535) {
                why = "invalid port '" + std::string(port_text) + "'";
                return std::nullopt;
            }
            parts.port = port;
        }
    }
    std::string path(rest.substr(0, std::min(rest.find_first_of("?#"), rest.size())));
    if (!parts.scheme.empty()) std::replace(path.begin(), path.end(), '\\', '/');
    parts.path = encode_path(path);
    return parts;
}

}  // namespace evsim::dashboard::detail
