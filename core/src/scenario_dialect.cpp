// Dialect producers in a scenario: their names and their settings blocks.
#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>

#include "scenario_parts.hpp"

namespace evsim::scenario {

std::string_view to_string(Dialect dialect) noexcept {
    switch (dialect) {
        case Dialect::none: return "";
        case Dialect::eventsource_lib: return "eventsource-lib";
        case Dialect::machbase_watch: return "machbase-watch";
        case Dialect::wakanda_push: return "wakanda-push";
        case Dialect::ctrlx_datalayer: return "ctrlx-datalayer";
    }
    return "";
}

void apply_dialect_defaults(ProducerSpec& producer) {
    if (producer.dialect == Dialect::wakanda_push && producer.paths.empty()) producer.paths = {"/eventsource"};
    if (producer.dialect == Dialect::ctrlx_datalayer) {
        // Real clients of the controller connect over TLS with certificate checks off.
        producer.tls = true;
        // A browser dashboard calling the REST routes cross-origin sends these two (a preflight asks).
        if (producer.cors.allow_headers.empty()) producer.cors.allow_headers = {"Authorization", "Content-Type"};
        producer.cadence = cadence::FixedInterval{std::chrono::seconds(1)};  // how often node values change
        return;
    }
    if (producer.dialect != Dialect::machbase_watch) return;
    producer.cadence = cadence::FixedInterval{std::chrono::seconds(1)};
    producer.payload = payload::RandomWalk{1.5, 0.1, 0, 8, 2};
}

std::optional<Dialect> dialect_named(std::string_view name) noexcept {
    if (name == "eventsource-lib") return Dialect::eventsource_lib;
    if (name == "machbase-watch") return Dialect::machbase_watch;
    if (name == "wakanda-push") return Dialect::wakanda_push;
    if (name == "ctrlx-datalayer") return Dialect::ctrlx_datalayer;
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

namespace {

bool plain_table_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

WatchSettings read_watch(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "watch", {"tables"});
    WatchSettings settings;
    if (node.IsNull() || !node["tables"]) return settings;
    const YAML::Node tables = node["tables"];
    if (!tables.IsSequence() || tables.size() == 0) doc.fail(tables, "watch.tables: expected a list of at least one table");
    for (const auto& entry : tables) {
        if (!entry.IsMap()) doc.fail(entry, "watch.tables: expected a mapping like {name: example, kind: tag, tags: [a, b]}");
        check_map(doc, entry, "table", {"name", "kind", "tags"});
        if (!entry["name"]) doc.fail(entry, "table: missing required key 'name'");
        WatchTable table;
        table.name = read_string(doc, entry["name"], "name");
        if (!plain_table_name(table.name))
            doc.fail(entry["name"], "name: " + describe(entry["name"]) + " must be 1..64 letters, digits or '_'");
        for (const auto& other : settings.tables)
            if (boost::algorithm::iequals(other.name, table.name))
                doc.fail(entry["name"], "name: table '" + table.name + "' is listed twice (names ignore case)");
        if (const YAML::Node v = entry["kind"]) {
            const std::string kind = read_string(doc, v, "kind");
            if (kind == "tag") table.kind = WatchTable::Kind::tag;
            else if (kind == "log") table.kind = WatchTable::Kind::log;
            else doc.fail(v, "kind: expected tag or log, got " + describe(v));
        }
        if (const YAML::Node v = entry["tags"]) {
            if (table.kind == WatchTable::Kind::log) doc.fail(v, "tags: log tables have no tags");
            table.tags = read_string_list(doc, v, "tags");
            for (std::size_t i = 0; i < table.tags.size(); ++i) {
                const auto& tag = table.tags[i];
                const YAML::Node item = v.IsSequence() ? v[i] : v;
                const bool printable = !tag.empty() && tag.size() <= 128 && std::all_of(tag.begin(), tag.end(), [](char c) {
                    return static_cast<unsigned char>(c) > 0x20 && c != '&' && c != '=' && c != '#' && c != '"' && c != '\\';
                });
                if (!printable)
                    doc.fail(item, "tags: " + describe(item) + " must be 1..128 characters without spaces, quotes, & = or #");
                if (std::find(table.tags.begin(), table.tags.begin() + static_cast<std::ptrdiff_t>(i), tag) !=
                    table.tags.begin() + static_cast<std::ptrdiff_t>(i))
                    doc.fail(item, "tags: '" + tag + "' is listed twice");
            }
        }
        if (table.kind == WatchTable::Kind::tag && table.tags.empty())
            doc.fail(entry, "table '" + table.name + "': a tag table needs tags: [NAME, ...]");
        settings.tables.push_back(std::move(table));
    }
    return settings;
}

namespace {

PushIdentity read_identity(const Doc& doc, const YAML::Node& node, const std::string& key) {
    if (node.IsScalar() && node.as<std::string>() == "none") return {};
    if (!node.IsMap() || node.size() != 1)
        doc.fail(node, key + ": expected one of {cookie: NAME}, {header: NAME}, {query: NAME} or none");
    check_map(doc, node, key, {"cookie", "header", "query"});
    PushIdentity identity;
    const auto entry = *node.begin();
    const std::string from = entry.first.as<std::string>();
    identity.from = from == "cookie" ? PushIdentity::From::cookie
                    : from == "header" ? PushIdentity::From::header
                                       : PushIdentity::From::query;
    identity.name = read_string(doc, entry.second, key + "." + from);
    if (identity.name.empty() || identity.name.find_first_of(" ;,=\t\r\n") != std::string::npos)
        doc.fail(entry.second, key + "." + from + ": " + describe(entry.second) + " is not a usable name");
    return identity;
}

}  // namespace

PushModuleSettings read_push(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "push", {"session", "user", "groups", "replay", "generate"});
    PushModuleSettings settings;
    if (node.IsNull()) return settings;
    if (const YAML::Node v = node["session"]) settings.session = read_identity(doc, v, "push.session");
    if (const YAML::Node v = node["user"]) settings.user = read_identity(doc, v, "push.user");
    if (const YAML::Node v = node["groups"]) settings.groups = read_identity(doc, v, "push.groups");
    if (const YAML::Node v = node["replay"]) settings.replay = read_replay(doc, v, "push.replay");
    if (const YAML::Node v = node["generate"]) settings.generate = read_bool(doc, v, "push.generate");
    return settings;
}

}  // namespace detail
}  // namespace evsim::scenario
