// The ctrlx-datalayer dialect's `datalayer:` block: users, token and subscription limits, nodes.
#include <algorithm>
#include <array>

#include "scenario_parts.hpp"

namespace evsim::scenario {

namespace {

constexpr std::array<std::pair<DatalayerType, std::string_view>, 12> type_names{{
    {DatalayerType::bool8, "bool8"},
    {DatalayerType::int8, "int8"},
    {DatalayerType::uint8, "uint8"},
    {DatalayerType::int16, "int16"},
    {DatalayerType::uint16, "uint16"},
    {DatalayerType::int32, "int32"},
    {DatalayerType::uint32, "uint32"},
    {DatalayerType::int64, "int64"},
    {DatalayerType::uint64, "uint64"},
    {DatalayerType::float32, "float"},
    {DatalayerType::float64, "double"},
    {DatalayerType::string, "string"},
}};

}  // namespace

std::string_view to_string(DatalayerType type) noexcept {
    for (const auto& [t, name] : type_names)
        if (t == type) return name;
    return "double";
}

std::optional<DatalayerType> datalayer_type_named(std::string_view name) noexcept {
    for (const auto& [t, n] : type_names)
        if (n == name) return t;
    return std::nullopt;
}

bool is_datalayer_address(std::string_view address) noexcept {
    // Addresses travel in URL paths, query lists (?nodes=a,b) and JSON: printable ASCII without the
    // characters those would need escaped.
    return !address.empty() && address.size() <= 512 && address.front() != '/' &&
           std::all_of(address.begin(), address.end(), [](char c) {
               return c > 0x20 && c < 0x7f && c != ',' && c != '?' && c != '#' && c != '%' && c != '"' && c != '\\' &&
                      c != '&';
           });
}

namespace detail {

namespace {

DatalayerNode read_node(const Doc& doc, const YAML::Node& entry) {
    if (!entry.IsMap())
        doc.fail(entry, "datalayer.nodes: expected a mapping like {address: plc/app/x, type: double, payload: ...}");
    check_map(doc, entry, "node", {"address", "type", "payload"});
    if (!entry["address"]) doc.fail(entry, "node: missing required key 'address'");
    DatalayerNode node;
    node.address = read_string(doc, entry["address"], "address");
    if (!is_datalayer_address(node.address))
        doc.fail(entry["address"], "address: " + describe(entry["address"]) +
                                       " must be 1..512 printable characters without spaces, a leading '/', or , ? # % & \" \\");
    if (const YAML::Node v = entry["type"]) {
        const auto type = datalayer_type_named(read_string(doc, v, "type"));
        if (!type)
            doc.fail(v, "type: expected bool8, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float, double or "
                        "string, got " + describe(v));
        node.type = *type;
    }
    if (node.type == DatalayerType::string) node.payload = payload::Constant{"running"};
    if (node.type == DatalayerType::bool8) node.payload = payload::RandomInt{0, 1};
    if (const YAML::Node v = entry["payload"]) {
        node.payload = read_generator(doc, v, "payload");
        try {
            payload::validate(node.payload);
        } catch (const payload::SpecError& e) {
            doc.fail(v, std::string("payload: ") + e.what());
        }
        const bool numeric = payload::make_generator(node.payload, 0)->kind() == payload::ValueKind::number;
        if (node.type != DatalayerType::string && !numeric)
            doc.fail(v, "payload: a " + std::string(to_string(node.type)) +
                            " node needs a numeric generator (random_int, random_float, random_walk, sine, counter)");
    }
    return node;
}

}  // namespace

DatalayerSettings read_datalayer(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "datalayer", {"users", "token_lifetime", "inactive_timeout", "max_subscriptions", "nodes"});
    DatalayerSettings settings;
    if (node.IsNull()) return settings;
    if (const YAML::Node v = node["users"]) {
        if (!v.IsSequence() || v.size() == 0)
            doc.fail(v, "datalayer.users: expected a list of at least one {name: NAME, password: PASSWORD}");
        settings.users.clear();
        for (const auto& entry : v) {
            if (!entry.IsMap()) doc.fail(entry, "datalayer.users: expected {name: NAME, password: PASSWORD}");
            check_map(doc, entry, "user", {"name", "password"});
            for (const char* key : {"name", "password"})
                if (!entry[key]) doc.fail(entry, std::string("user: missing required key '") + key + "'");
            DatalayerUser user{read_string(doc, entry["name"], "name"), read_string(doc, entry["password"], "password")};
            if (user.name.empty() || user.name.size() > 128) doc.fail(entry["name"], "name: must be 1..128 characters");
            for (const auto& other : settings.users)
                if (other.name == user.name) doc.fail(entry["name"], "name: user '" + user.name + "' is listed twice");
            settings.users.push_back(std::move(user));
        }
    }
    if (const YAML::Node v = node["token_lifetime"]) {
        settings.token_lifetime = read_duration(doc, v, "datalayer.token_lifetime");
        if (settings.token_lifetime < std::chrono::seconds(1) || settings.token_lifetime > std::chrono::hours(24 * 30))
            doc.fail(v, "datalayer.token_lifetime: must be between 1s and 30 days");
    }
    if (const YAML::Node v = node["inactive_timeout"]) {
        settings.inactive_timeout = read_duration(doc, v, "datalayer.inactive_timeout");
        if (settings.inactive_timeout < std::chrono::milliseconds(10) || settings.inactive_timeout > std::chrono::hours(24))
            doc.fail(v, "datalayer.inactive_timeout: must be between 10ms and 24h");
    }
    if (const YAML::Node v = node["max_subscriptions"])
        settings.max_subscriptions = static_cast<std::size_t>(read_int(doc, v, "datalayer.max_subscriptions", 1, 100000));
    if (const YAML::Node v = node["nodes"]) {
        if (!v.IsSequence() || v.size() == 0) doc.fail(v, "datalayer.nodes: expected a list of at least one node");
        for (const auto& entry : v) {
            auto n = read_node(doc, entry);
            for (const auto& other : settings.nodes)
                if (other.address == n.address)
                    doc.fail(entry["address"], "address: node '" + n.address + "' is listed twice");
            settings.nodes.push_back(std::move(n));
        }
    }
    return settings;
}

}  // namespace detail
}  // namespace evsim::scenario
