#include "evsim/producers/control_routes.hpp"

#include "evsim/core/duration.hpp"
#include "evsim/core/percent_encoding.hpp"

#include "control_faults.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "evsim/producers/http_responses.hpp"

namespace evsim::producers {

namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view publish_prefix = "/producers/";

Response make_json(const Request& request, http::status status, const json::value& body) {
    Response response{status, request.version()};
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-cache");
    response.body() = json::serialize(body) + "\n";  // a newline so curl output ends its line
    response.prepare_payload();
    response.keep_alive(request.keep_alive());
    return response;
}

Response make_json_error(const Request& request, http::status status, std::string_view message) {
    return make_json(request, status, json::object{{"error", message}});
}

Response wrong_method(const Request& request, std::string_view allowed) {
    auto response = make_json_error(request, http::status::method_not_allowed,
                                    "method " + std::string(request.method_string()) + " not allowed; use " +
                                        std::string(allowed));
    response.set(http::field::allow, allowed);
    return response;
}

json::object counters(const StatsSnapshot& stats) {
    return {{"connections_accepted", stats.connections_accepted}, {"requests_rejected", stats.requests_rejected},
            {"requests_served", stats.requests_served},           {"events_published", stats.events_published},
            {"events_dropped", stats.events_dropped},             {"bytes_sent", stats.bytes_sent},
            {"faults_injected", stats.faults_injected}};
}

// The URL a producer was listed with (every producer has one).
std::string url_of(const ProducerSet& set, const Producer& producer) {
    for (const auto& url : set.urls()) {
        if (url.producer == producer.spec().name) return url.url;
    }
    return {};
}

json::object describe(const ProducerSet& set, const Producer& producer) {
    return {{"name", producer.spec().name},
            {"type", scenario::to_string(producer.spec().type)},
            {"url", url_of(set, producer)}};
}

json::value health(const ProducerSet& set, std::chrono::steady_clock::time_point started) {
    // Whole seconds: Boost.JSON would print a double as 1.29E0, which is harder to read at a glance.
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
    return json::object{{"status", "ok"}, {"producers", set.size()}, {"uptime_s", uptime.count()}};
}

json::value stats(const ProducerSet& set) {
    json::array list;
    std::size_t clients = 0;
    for (const auto* producer : set.producers()) {
        auto entry = describe(set, *producer);
        entry["clients"] = producer->clients();
        for (const auto& counter : counters(producer->stats())) entry[counter.key()] = counter.value();
        clients += producer->clients();
        list.push_back(std::move(entry));
    }
    // Totals include the listeners' counters (connections are counted per endpoint, not per producer).
    auto totals = counters(set.totals());
    totals["clients"] = clients;
    return json::object{{"totals", std::move(totals)}, {"producers", std::move(list)}};
}

json::value listing(const ProducerSet& set) {
    json::array list;
    for (const auto* producer : set.producers()) list.push_back(describe(set, *producer));
    return list;
}

// "%20" and friends in a producer name; nullopt for a broken escape.
// What a publish body asks for, or the reason it cannot be used.
struct PublishRequest {
    std::optional<std::string> event;  // absent: the producer's first event name
    std::string data;
    measurement::DataForm form = measurement::DataForm::text;
    std::optional<PushTarget> to;  // "to": {"sessions": [...], "users": [...], "groups": [...]}
    std::string error;  // non-empty: 400 with this message
};

// "to"'s lists: each a string or an array of strings; nothing else.
std::string read_target(const json::value& value, PushTarget& target) {
    if (!value.is_object()) return R"("to" must be an object like {"users":["ada"],"groups":["Marketing"]})";
    for (const auto& [key, list] : value.as_object()) {
        std::vector<std::string>* into = key == "sessions" ? &target.sessions
                                         : key == "users"  ? &target.users
                                         : key == "groups" ? &target.groups
                                                           : nullptr;
        if (!into) return "unknown field 'to." + std::string(key) + "' (expected sessions, users and groups)";
        if (list.is_string()) {
            into->emplace_back(list.as_string());
            continue;
        }
        if (!list.is_array()) return "\"to." + std::string(key) + "\" must be a string or an array of strings";
        for (const auto& item : list.as_array()) {
            if (!item.is_string()) return "\"to." + std::string(key) + "\" must be a string or an array of strings";
            into->emplace_back(item.as_string());
        }
    }
    if (target.everyone()) return R"("to" names nobody: give sessions, users or groups, or leave "to" out)";
    return "";
}

PublishRequest parse_publish_body(std::string_view body) {
    PublishRequest out;
    boost::system::error_code error;
    const auto parsed = json::parse(body, error);
    if (error) {
        out.error = "body is not valid JSON: " + error.message();
        return out;
    }
    if (!parsed.is_object()) {
        out.error = R"(body must be a JSON object like {"event":"alert","data":"text"})";
        return out;
    }
    const auto& object = parsed.as_object();
    for (const auto& field : object) {
        if (field.key() != "event" && field.key() != "data" && field.key() != "to") {
            out.error = "unknown field '" + std::string(field.key().data(), field.key().size()) +
                        "' (expected \"event\", \"data\" and \"to\")";
            return out;
        }
    }
    if (const auto* event = object.if_contains("event")) {
        if (!event->is_string()) {
            out.error = "\"event\" must be a string";
            return out;
        }
        out.event = std::string(event->as_string().data(), event->as_string().size());
        // An event name is one line of the stream: a line break would forge other fields.
        if (out.event->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
            out.error = "\"event\" must not contain CR, LF or NUL";
            return out;
        }
    }
    if (const auto* to = object.if_contains("to")) {
        out.to.emplace();
        out.error = read_target(*to, *out.to);
        if (!out.error.empty()) return out;
    }
    const auto* data = object.if_contains("data");
    if (!data) {
        out.error = "missing field \"data\"";
        return out;
    }
    // A string is sent as its text; any other value as its JSON text, marked as JSON.
    if (data->is_string()) {
        out.data = std::string(data->as_string().data(), data->as_string().size());
    } else {
        out.data = json::serialize(*data);
        out.form = measurement::DataForm::json;
    }
    return out;
}

Response publish(ProducerSet& set, const Request& request, std::string_view encoded_name) {
    const auto name = percent::decode(encoded_name);
    if (!name) return make_json_error(request, http::status::bad_request, "malformed producer name in the path");
    auto* producer = set.find(*name);
    if (!producer) return make_json_error(request, http::status::not_found, "no producer named '" + *name + "'");
    const auto parsed = parse_publish_body(request.body());
    if (!parsed.error.empty()) return make_json_error(request, http::status::bad_request, parsed.error);
    const auto& events = producer->spec().events;
    const std::string type = parsed.event.value_or(events.empty() ? std::string() : events.front());
    if (parsed.to) {
        try {
            producer->publish_to(type, parsed.data, parsed.form, *parsed.to);
        } catch (const std::invalid_argument& e) {
            return make_json_error(request, http::status::bad_request, e.what());
        }
    } else {
        producer->publish(type, parsed.data, parsed.form);
    }
    return make_json(request, http::status::accepted, json::object{{"published", true}, {"producer", *name}});
}

// POST /producers/NAME/pause {"delay":"30s","hold":"5s"}: clients are told to reconnect after
// delay, and with hold their streams end that long from now.
Response pause(ProducerSet& set, const Request& request, std::string_view encoded_name) {
    const auto name = percent::decode(encoded_name);
    if (!name) return make_json_error(request, http::status::bad_request, "malformed producer name in the path");
    auto* producer = set.find(*name);
    if (!producer) return make_json_error(request, http::status::not_found, "no producer named '" + *name + "'");
    boost::system::error_code error;
    const auto body = json::parse(request.body(), error);
    if (error || !body.is_object())
        return make_json_error(request, http::status::bad_request, R"(body must be a JSON object like {"delay":"30s","hold":"5s"})");
    std::chrono::milliseconds delay{0};
    std::optional<std::chrono::milliseconds> hold;
    for (const auto& [key, value] : body.as_object()) {
        if (key != "delay" && key != "hold")
            return make_json_error(request, http::status::bad_request,
                                   "unknown field '" + std::string(key) + "' (expected \"delay\" and \"hold\")");
        if (!value.is_string())
            return make_json_error(request, http::status::bad_request, "\"" + std::string(key) + "\" must be a duration like \"30s\"");
        try {
            const auto parsed = std::chrono::duration_cast<std::chrono::milliseconds>(parse_duration(value.as_string()));
            if (key == "delay") delay = parsed;
            else hold = parsed;
        } catch (const DurationError& e) {
            return make_json_error(request, http::status::bad_request, std::string(key) + ": " + e.what());
        }
    }
    if (!body.as_object().contains("delay"))
        return make_json_error(request, http::status::bad_request, "missing field \"delay\"");
    try {
        producer->pause(delay, hold);
    } catch (const std::invalid_argument& e) {
        return make_json_error(request, http::status::bad_request, e.what());
    }
    return make_json(request, http::status::accepted, json::object{{"paused", true}, {"producer", *name}});
}

Response inject(ProducerSet& set, const Request& request, std::string_view encoded_name) {
    const auto name = percent::decode(encoded_name);
    if (!name) return make_json_error(request, http::status::bad_request, "malformed producer name in the path");
    auto* producer = set.find(*name);
    if (!producer) return make_json_error(request, http::status::not_found, "no producer named '" + *name + "'");
    if (producer->spec().dialect != scenario::Dialect::none) {
        return make_json_error(request, http::status::bad_request,
                               std::string(scenario::to_string(producer->spec().dialect)) + " producers take no faults");
    }
    auto parsed = parse_fault_body(request.body(), scenario::to_string(producer->spec().type));
    if (auto* message = std::get_if<std::string>(&parsed)) {
        return make_json_error(request, http::status::bad_request, *message);
    }
    const auto& fault = std::get<faults::FaultSpec>(parsed);
    producer->inject_fault(std::make_shared<const faults::FaultSpec>(fault));
    return make_json(request, http::status::accepted,
                     json::object{{"injected", std::string(faults::to_string(fault.kind))}, {"producer", *name}});
}

// "/producers/NAME/<action>" -> NAME (still percent-encoded), or nullopt.
std::optional<std::string_view> producer_route(std::string_view path, std::string_view action) {
    const std::string suffix = "/" + std::string(action);
    if (path.size() <= publish_prefix.size() + suffix.size() || path.substr(0, publish_prefix.size()) != publish_prefix ||
        path.substr(path.size() - suffix.size()) != suffix)
        return std::nullopt;
    const auto name = path.substr(publish_prefix.size(), path.size() - publish_prefix.size() - suffix.size());
    if (name.find('/') != std::string_view::npos) return std::nullopt;
    return name;
}

}  // namespace

Response handle_control_request(ProducerSet& set, std::chrono::steady_clock::time_point started,
                                const Request& request) {
    const auto path = target_path(request.target());
    const bool get = request.method() == http::verb::get;
    if (path == "/health") return get ? make_json(request, http::status::ok, health(set, started)) : wrong_method(request, "GET");
    if (path == "/stats") return get ? make_json(request, http::status::ok, stats(set)) : wrong_method(request, "GET");
    if (path == "/producers") return get ? make_json(request, http::status::ok, listing(set)) : wrong_method(request, "GET");
    if (const auto name = producer_route(path, "publish")) {
        if (request.method() != http::verb::post) return wrong_method(request, "POST");
        return publish(set, request, *name);
    }
    if (const auto name = producer_route(path, "pause")) {
        if (request.method() != http::verb::post) return wrong_method(request, "POST");
        return pause(set, request, *name);
    }
    if (const auto name = producer_route(path, "faults")) {
        if (request.method() != http::verb::post) return wrong_method(request, "POST");
        return inject(set, request, *name);
    }
    return make_json_error(request, http::status::not_found, "no control route at " + std::string(path));
}

}  // namespace evsim::producers
