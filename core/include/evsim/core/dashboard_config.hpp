// Reading a dashboard's config.js: its `sys_eventProviders = [ ... ];` registry becomes a Scenario
// with one producer for every entry the dashboard would read from this machine, so that
// `evsim serve --dashboard config.js` can feed the dashboard without a hand-written scenario.
//
// The file is never run: a token-aware scan finds the assignment (skipping strings, template
// literals, regular expressions and comments that mention the name) and js::parse_literal_at reads
// the array. Entries that cannot be served (remote hosts, unknown types, bad URLs, clashes) are kept
// in the plan with the reason, so the terminal table can say why nothing listens for them.
// See docs/dashboard-config.md.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/core/js_literal.hpp"
#include "evsim/core/scenario.hpp"

namespace evsim::dashboard {

// config.js files larger than this are refused (the same bound as js::max_input_bytes).
inline constexpr std::size_t max_config_bytes = 4 * 1024 * 1024;

// One element of sys_eventProviders, served or not.
struct DashboardEntry {
    std::size_t index = 0;            // 1-based position in the array
    std::string type;                 // as written ("WSS"); empty when missing or not a string
    std::string url;                  // as written; empty when missing or not a string
    std::vector<std::string> events;  // as written (string elements only)
    bool served = false;
    bool tls = false;                 // https:// or wss://: the dashboard expects TLS on this port
    std::string producer;             // the producer's name ("sse-1") when served
    std::string target;               // where, when served: "127.0.0.1:8081/events", or the file's path
    std::string reason;               // why it is not served
    std::vector<std::string> notes;   // served, but worth knowing (extra events dropped, defaults used)
    scenario::SourceLocation where;   // the entry in config.js
};

struct DashboardPlan {
    scenario::Scenario scenario;          // the served entries' producers, in array order
    std::vector<DashboardEntry> entries;  // every array element, in order
};

// Reads the registry from config.js text. `config_path` names the file in messages and is where
// relative FILE paths are resolved from (its directory). Throws scenario::ScenarioError
// ("FILE:LINE:COLUMN: message") when there is no `sys_eventProviders = [` assignment or the array is
// not a valid literal; problems with single entries are skips, not errors.
DashboardPlan plan_from_dashboard_config(std::string_view js_text, const std::filesystem::path& config_path);

// Reads `path` (at most max_config_bytes) and plans it; an unreadable file is a ScenarioError too.
DashboardPlan load_dashboard_config(const std::filesystem::path& path);

// The steps of the two above, for readers that need the registry as written too (evsim lint looks
// at FETCH intervals and credentials, which the plan does not keep). Each throws ScenarioError.
std::string read_config_text(const std::filesystem::path& path);
js::Value read_registry(std::string_view js_text, const std::filesystem::path& config_path);
DashboardPlan plan_from_registry(const js::Value& registry, const std::filesystem::path& config_path);

// The producer type of an entry's `type` ("SSE", "WSS" or "WS", "FETCH", "FILE", any case), or
// nothing for another value.
std::optional<scenario::ProducerType> source_type(std::string_view written);

// The entries as an aligned table for the terminal, one line per entry after a header, each ending
// in '\n': "#", "type", "url", "events", "serves as" (the producer and its address, or "skipped: reason").
std::string format_entries(const std::vector<DashboardEntry>& entries);

}  // namespace evsim::dashboard
