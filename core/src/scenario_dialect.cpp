// Dialect producers in a scenario: their names and their settings blocks.
#include <algorithm>

#include "scenario_parts.hpp"

namespace evsim::scenario {

std::string_view to_string(Dialect dialect) noexcept {
    switch (dialect) {
        case Dialect::none: return "";
        case Dialect::eventsource_lib: return "eventsource-lib";
    }
    return "";
}

std::optional<Dialect> dialect_named(std::string_view name) noexcept {
    if (name == "eventsource-lib") return Dialect::eventsource_lib;
    return std::nullopt;
}

std::string eventsource_lib_action_problem(std::string_view action) {
    const bool plain = !action.empty() && action.size() <= 64 && std::all_of(action.begin(), action.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    });
    if (!plain) return "'" + std::string(action) + "' must be 1..64 letters, digits, '_', '-' or '.' (it is a URL path segment)";
    if (action == "poll" || action == "close" || action == "retry")
        return "'" + std::string(action) +
               "' is built in (poll listens, close ends the stream, retry sets the reconnection time)";
    return "";
}

namespace detail {

EventSourceLibSettings read_eventsource_lib(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "eventsource_lib", {"keepalive", "ids", "json", "actions"});
    EventSourceLibSettings settings;
    if (node.IsNull()) return settings;
    if (const YAML::Node v = node["keepalive"]) {
        const auto keepalive = read_duration(doc, v, "eventsource_lib.keepalive");
        if (keepalive.count() > 0) settings.keepalive = keepalive;  // 0 is the original's "off"
    }
    if (const YAML::Node v = node["ids"]) settings.ids = read_bool(doc, v, "eventsource_lib.ids");
    if (const YAML::Node v = node["json"]) settings.json = read_bool(doc, v, "eventsource_lib.json");
    if (const YAML::Node v = node["actions"]) {
        settings.actions = read_string_list(doc, v, "eventsource_lib.actions");
        for (std::size_t i = 0; i < settings.actions.size(); ++i) {
            const auto& action = settings.actions[i];
            const YAML::Node item = v.IsSequence() ? v[i] : v;
            if (const auto problem = eventsource_lib_action_problem(action); !problem.empty())
                doc.fail(item, "eventsource_lib.actions: " + problem);
        }
    }
    return settings;
}

}  // namespace detail
}  // namespace evsim::scenario
