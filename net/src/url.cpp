#include "evsim/net/url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <charconv>

namespace evsim::net {
namespace {

std::uint16_t default_port(std::string_view scheme) {
    return (scheme == "https" || scheme == "wss") ? 443 : 80;
}

Endpoint from_url(const boost::urls::url_view& u, std::string_view original) {
    Endpoint ep;
    ep.scheme = std::string(u.scheme());
    for (auto& c : ep.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ep.scheme != "http" && ep.scheme != "https" && ep.scheme != "ws" && ep.scheme != "wss") {
        throw UrlError("unsupported URL scheme '" + ep.scheme + "' in '" + std::string(original) +
                       "' (expected http, https, ws or wss)");
    }
    if (!u.has_authority() || u.encoded_host().empty()) {
        throw UrlError("URL has no host: '" + std::string(original) + "'");
    }
    if (u.host_type() == boost::urls::host_type::ipv6) {
        ep.host = u.encoded_host_address();
    } else {
        ep.host = u.host();
    }
    ep.port = default_port(ep.scheme);
    if (u.has_port()) {
        const std::string_view port = u.port();
        unsigned value = 0;
        const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
            throw UrlError("invalid port '" + std::string(port) + "' in '" + std::string(original) + "'");
        }
        ep.port = static_cast<std::uint16_t>(value);
    }
    ep.target = std::string(u.encoded_target());
    if (ep.target.empty() || ep.target.front() != '/') ep.target.insert(0, "/");
    return ep;
}

}  // namespace

std::string Endpoint::host_header() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    std::string out = ipv6 ? "[" + host + "]" : host;
    if (port != default_port(scheme)) out += ":" + std::to_string(port);
    return out;
}

std::string Endpoint::to_string() const { return scheme + "://" + host_header() + target; }

Endpoint parse_url(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) throw UrlError("not an absolute URL: '" + std::string(url) + "' (" + parsed.error().message() + ")");
    return from_url(*parsed, url);
}

Endpoint resolve_redirect(const Endpoint& base, std::string_view location) {
    auto reference = boost::urls::parse_uri_reference(location);
    if (!reference) throw UrlError("invalid redirect location '" + std::string(location) + "'");
    boost::urls::url resolved;
    const std::string base_text = base.to_string();  // the parsed view points into it
    const auto base_url = boost::urls::parse_absolute_uri(base_text);
    if (!base_url) throw UrlError("invalid base URL '" + base.to_string() + "'");
    const auto result = boost::urls::resolve(*base_url, *reference, resolved);
    if (!result) throw UrlError("cannot resolve redirect location '" + std::string(location) + "'");
    return from_url(resolved, location);
}

}  // namespace evsim::net
