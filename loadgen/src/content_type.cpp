#include "evsim/loadgen/content_type.hpp"

#include <algorithm>

namespace evsim::loadgen {
namespace {

bool is_http_whitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// RFC 9110 token characters.
bool is_token_char(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_http_whitespace(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_http_whitespace(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<std::string> mime_essence(std::string_view content_type) {
    std::string_view value = trim(content_type);
    value = trim(value.substr(0, value.find(';')));
    const std::size_t slash = value.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view type = value.substr(0, slash);
    const std::string_view subtype = value.substr(slash + 1);
    if (!is_token(type) || !is_token(subtype)) return std::nullopt;
    std::string essence(value);
    std::transform(essence.begin(), essence.end(), essence.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return essence;
}

bool is_event_stream(std::string_view content_type) {
    const auto essence = mime_essence(content_type);
    return essence && *essence == "text/event-stream";
}

}  // namespace evsim::loadgen
