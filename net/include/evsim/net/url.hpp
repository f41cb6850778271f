// Parsing the http(s) / ws(s) URLs that evsim's clients connect to.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace evsim::net {

struct Endpoint {
    std::string scheme;  // "http", "https", "ws" or "wss", lower case
    std::string host;    // without brackets for IPv6 literals
    std::uint16_t port = 0;
    std::string target;  // path and query, never empty ("/" at least)

    bool tls() const { return scheme == "https" || scheme == "wss"; }
    // The Host header value: the port is left out when it is the scheme's default.
    std::string host_header() const;
    std::string to_string() const;
};

class UrlError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Parses an absolute URL; throws UrlError saying what is wrong (unsupported scheme, no host, bad port).
Endpoint parse_url(std::string_view url);

// Resolves `location` (a Location header: absolute or relative) against `base`, as a redirect does.
Endpoint resolve_redirect(const Endpoint& base, std::string_view location);

}  // namespace evsim::net
