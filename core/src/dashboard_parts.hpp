// The pieces of the config.js reader, one file each: finding the registry (dashboard_scan.cpp),
// splitting URLs (dashboard_url.cpp), mapping one entry (dashboard_entry.cpp); the plan and its
// cross-entry checks are in dashboard_config.cpp, the table in dashboard_table.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "evsim/core/dashboard_config.hpp"
#include "evsim/core/js_literal.hpp"

namespace evsim::dashboard::detail {

inline constexpr std::string_view registry_name = "sys_eventProviders";

// Offset of the '[' of the first `sys_eventProviders = [` outside strings, template literals,
// regular expressions and comments. Throws js::SyntaxError when there is none, or when the
// JavaScript before it cannot be tokenised (an unterminated string or comment).
std::size_t find_registry(std::string_view js_text);

// A URL split the way a browser would for http(s), ws(s) and file URLs; no scheme means a relative
// reference. Scheme and host are lower-cased; the path is percent-encoded as a browser sends it.
struct UrlParts {
    std::string scheme;                // "http", ... ; empty for a relative reference
    std::string host;                  // "localhost", "[::1]"; empty when there is no authority
    std::optional<std::uint32_t> port;  // as written; absent: the scheme's default
    std::string path;                  // without query and fragment
};

// Splits `url`, or returns the reason it cannot be used ("invalid port '99999'").
std::optional<UrlParts> split_url(std::string_view url, std::string& why);

// %XX sequences decoded (malformed ones kept as written): for file paths.
std::string percent_decode(std::string_view text);

// Thrown by the entry readers when an entry cannot be served; map_entry turns it into the reason.
struct Skip {
    std::string reason;
};

// 'text' quoted for a message, cut at 60 bytes so one odd entry cannot flood the table.
std::string in_quotes(std::string_view text);

// FETCH's own keys (method, headers, body, credentials) into `producer.fetch` and `producer.cors`;
// what the browser would do wrong goes to entry.notes. Throws Skip for a method evsim cannot serve.
void read_fetch_options(const js::Value& object, DashboardEntry& entry, scenario::ProducerSpec& producer);

// One array element mapped to a producer (when it can be served) and its table entry. Cross-entry
// checks (addresses already taken) are the caller's.
struct MappedEntry {
    DashboardEntry entry;
    std::optional<scenario::ProducerSpec> producer;
};
MappedEntry map_entry(const js::Value& value, std::size_t index, const std::filesystem::path& config_path);

}  // namespace evsim::dashboard::detail
