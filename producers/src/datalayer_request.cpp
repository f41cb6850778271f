#include "datalayer_request.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <optional>

namespace evsim::producers {

namespace {

namespace json = boost::json;

constexpr std::int64_t kMaxIntervalMs = 86'400'000;  // a day
constexpr std::size_t kMaxAddress = 512;

DatalayerProblem bad(std::string detail) { return {400, "Bad Request", std::move(detail)}; }

// An interval property in milliseconds: a whole number from 1 ms to a day.
std::optional<std::string> read_interval(const json::object& properties, std::string_view key,
                                         std::chrono::milliseconds& out) {
    const auto* value = properties.if_contains(key);
    if (!value || value->is_null()) return std::nullopt;
    std::int64_t ms = 0;
    if (value->is_int64()) ms = value->get_int64();
    else if (value->is_uint64()) ms = value->get_uint64() > static_cast<std::uint64_t>(kMaxIntervalMs) ? -1 : static_cast<std::int64_t>(value->get_uint64());
    else if (value->is_double() && value->get_double() == static_cast<double>(static_cast<std::int64_t>(value->get_double())))
        ms = static_cast<std::int64_t>(value->get_double());
    else return "properties." + std::string(key) + " must be a whole number of milliseconds";
    if (ms < 1 || ms > kMaxIntervalMs)
        return "properties." + std::string(key) + " must be 1.." + std::to_string(kMaxIntervalMs) + " ms";
    out = std::chrono::milliseconds(ms);
    return std::nullopt;
}

std::optional<std::string> check_nodes(const std::vector<std::string>& nodes) {
    if (nodes.size() > kMaxSubscriptionNodes)
        return "at most " + std::to_string(kMaxSubscriptionNodes) + " nodes per subscription";
    for (const auto& node : nodes)
        if (node.empty() || node.size() > kMaxAddress)
            return "node addresses must be 1.." + std::to_string(kMaxAddress) + " bytes";
    return std::nullopt;
}

}  // namespace

bool is_subscription_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 256 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == '~';
    });
}

std::variant<SubscriptionRequest, DatalayerProblem> parse_subscription_body(std::string_view body) {
    boost::system::error_code error;
    const json::value parsed = json::parse(body, error);
    if (error) return bad("the body is not JSON: " + error.message());
    if (!parsed.is_object()) return bad("the body must be a JSON object with properties and nodes");
    const auto& root = parsed.get_object();
    const auto* properties_value = root.if_contains("properties");
    if (!properties_value || !properties_value->is_object()) return bad("properties: a JSON object is required");
    const auto& properties = properties_value->get_object();
    SubscriptionRequest request;
    const auto* id = properties.if_contains("id");
    if (!id || !id->is_string()) return bad("properties.id: the subscription id (a string) is required");
    request.id = std::string(id->get_string());
    if (!is_subscription_id(request.id))
        return bad("properties.id must be 1..256 letters, digits, '-', '_', '.' or '~'");
    for (auto [key, out] : {std::pair{"publishInterval", &request.publish_interval},
                            std::pair{"keepaliveInterval", &request.keepalive_interval},
                            std::pair{"errorInterval", &request.error_interval}}) {
        if (auto problem = read_interval(properties, key, *out)) return bad(std::move(*problem));
    }
    const auto* nodes = root.if_contains("nodes");
    if (!nodes || !nodes->is_array()) return bad("nodes: a JSON array of node addresses is required");
    for (const auto& node : nodes->get_array()) {
        if (!node.is_string()) return bad("nodes: every entry must be a node address (a string)");
        if (request.nodes.size() > kMaxSubscriptionNodes) break;  // check_nodes reports it
        request.nodes.emplace_back(node.get_string());
    }
    if (auto problem = check_nodes(request.nodes)) return bad(std::move(*problem));
    return request;
}

std::variant<SubscriptionRequest, DatalayerProblem> parse_subscription_query(std::string_view target) {
    const auto url = boost::urls::parse_origin_form(target);
    if (!url) return bad("the request target is not a valid URL");
    SubscriptionRequest request;
    bool has_nodes = false;
    for (const auto& param : url->params()) {
        const std::string& key = param.key;
        if (key == "nodes") {
            has_nodes = true;
            const std::string_view list = param.value;
            for (std::size_t start = 0; start <= list.size();) {
                const auto comma = std::min(list.find(',', start), list.size());
                request.nodes.emplace_back(list.substr(start, comma - start));
                if (request.nodes.size() > kMaxSubscriptionNodes) break;
                start = comma + 1;
            }
            continue;
        }
        std::chrono::milliseconds* out = key == "publishIntervalMs"     ? &request.publish_interval
                                         : key == "keepaliveIntervalMs" ? &request.keepalive_interval
                                         : key == "errorIntervalMs"     ? &request.error_interval
                                                                        : nullptr;
        if (!out) return bad("unknown parameter '" + key + "' (nodes, publishIntervalMs, keepaliveIntervalMs, errorIntervalMs)");
        std::int64_t ms = 0;
        const std::string_view text = param.value;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || ms < 1 || ms > kMaxIntervalMs)
            return bad(key + " must be a whole number of milliseconds, 1.." + std::to_string(kMaxIntervalMs));
        *out = std::chrono::milliseconds(ms);
    }
    if (!has_nodes) return bad("nodes: the node addresses to subscribe to are required (nodes=a,b)");
    if (auto problem = check_nodes(request.nodes)) return bad(std::move(*problem));
    return request;
}

std::string problem_json(const DatalayerProblem& problem, std::string_view instance) {
    return json::serialize(json::object{{"type", "about:blank"},
                                        {"title", problem.title},
                                        {"status", problem.status},
                                        {"detail", problem.detail},
                                        {"instance", instance},
                                        {"severity", "ERROR"}});
}

}  // namespace evsim::producers
