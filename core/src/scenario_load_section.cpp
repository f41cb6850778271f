// The `load:` section of a scenario (load_spec.hpp, docs/load.md): user groups, their sources and
// stages, thresholds.
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <string_view>

#include "scenario_parts.hpp"

namespace evsim::scenario::detail {

namespace {

template <typename T>
void set_position(T& item, const Doc& doc, const YAML::Node& node) {
    const SourceLocation where = doc.where(node);
    item.line = where.line;
    item.column = where.column;
}

ProducerType read_source_type(const Doc& doc, const YAML::Node& node) {
    const std::string text = read_string(doc, node, "type");
    if (text == "sse") return ProducerType::sse;
    if (text == "ws") return ProducerType::ws;
    if (text == "fetch") return ProducerType::fetch;
    if (text == "file") return ProducerType::file;
    doc.fail(node, "type: expected sse, ws, fetch or file, got '" + text + "'");
}

// What a URL's scheme says about the source type: ws(s) is a WebSocket, file:// or a path a FILE
// source; http(s) could be SSE or fetch, so it says nothing.
std::optional<ProducerType> type_from_url(std::string_view url) {
    if (url.starts_with("ws://") || url.starts_with("wss://")) return ProducerType::ws;
    if (url.starts_with("file://") || url.starts_with("/")) return ProducerType::file;
    return std::nullopt;
}

WsReconnect read_reconnect(const Doc& doc, const YAML::Node& node) {
    WsReconnect reconnect;
    if (node.IsScalar()) {
        reconnect.enabled = read_bool(doc, node, "reconnect");
        return reconnect;
    }
    check_map(doc, node, "reconnect", {"delay", "max_delay", "backoff", "max_attempts"});
    if (const YAML::Node v = node["delay"]) reconnect.delay = read_duration(doc, v, "reconnect.delay");
    if (const YAML::Node v = node["max_delay"]) reconnect.max_delay = read_duration(doc, v, "reconnect.max_delay");
    if (const YAML::Node v = node["backoff"]) {
        reconnect.backoff = read_double(doc, v, "reconnect.backoff");
        if (!(reconnect.backoff >= 1.0 && reconnect.backoff <= 100.0))
            doc.fail(v, "reconnect.backoff: expected a factor from 1 to 100");
    }
    if (const YAML::Node v = node["max_attempts"])
        reconnect.max_attempts = static_cast<std::uint32_t>(read_int(doc, v, "reconnect.max_attempts", 1, 1'000'000));
    if (reconnect.max_delay < reconnect.delay)
        doc.fail(node, "reconnect: max_delay is shorter than delay");
    return reconnect;
}

LoadSource read_source(const Doc& doc, const YAML::Node& node) {
    LoadSource source;
    set_position(source, doc, node);
    if (node.IsScalar()) {  // the short form: a producer's name
        source.producer = read_string(doc, node, "source");
        return source;
    }
    if (!node.IsMap()) doc.fail(node, "source: expected a producer name or a mapping, got " + describe(node));
    check_map(doc, node, "source",
              {"producer", "url", "type", "interval", "timeout", "reconnect", "headers", "insecure"});
    const YAML::Node producer = node["producer"];
    const YAML::Node url = node["url"];
    if (bool(producer) == bool(url)) doc.fail(node, "source: give exactly one of 'producer' and 'url'");
    if (producer) source.producer = read_string(doc, producer, "producer");
    if (url) {
        source.url = read_string(doc, url, "url");
        const auto implied = type_from_url(source.url);
        if (const YAML::Node t = node["type"]) {
            source.type = read_source_type(doc, t);
            if (implied && *implied != source.type)
                doc.fail(t, "type: " + std::string(to_string(source.type)) + " does not match the URL '" + source.url +
                                "'");
            if (!implied && source.type != ProducerType::sse && source.type != ProducerType::fetch)
                doc.fail(t, "type: an http(s) URL is an sse or fetch source, not " +
                                std::string(to_string(source.type)));
        } else if (implied) {
            source.type = *implied;
        } else if (source.url.starts_with("http://") || source.url.starts_with("https://")) {
            doc.fail(node, "source: an http(s) URL needs 'type: sse' or 'type: fetch'");
        } else {
            doc.fail(url, "url: expected http://, https://, ws://, wss://, file:// or an absolute path, got '" +
                              source.url + "'");
        }
    } else if (const YAML::Node t = node["type"]) {
        doc.fail(t, "type: a producer source takes the producer's type");
    }
    if (const YAML::Node v = node["interval"]) {
        source.interval = read_duration(doc, v, "interval");
        if (source.interval < std::chrono::milliseconds(1)) doc.fail(v, "interval: at least 1ms");
    }
    if (const YAML::Node v = node["timeout"]) {
        source.timeout = read_duration(doc, v, "timeout");
        if (source.timeout < std::chrono::milliseconds(1)) doc.fail(v, "timeout: at least 1ms");
    }
    if (const YAML::Node v = node["reconnect"]) source.reconnect = read_reconnect(doc, v);
    if (const YAML::Node v = node["headers"]) {
        if (!v.IsMap()) doc.fail(v, "headers: expected a mapping of header names to values, got " + describe(v));
        for (const auto& header : v) {
            source.headers.emplace_back(read_string(doc, header.first, "headers"),
                                        read_string(doc, header.second, "headers"));
        }
    }
    if (const YAML::Node v = node["insecure"]) source.insecure = read_bool(doc, v, "insecure");
    return source;
}

// "10/s", "600/m", "2/ms" or a plain number (per second).
double read_rate(const Doc& doc, const YAML::Node& node) {
    const std::string text = read_string(doc, node, "arrival");
    const auto slash = text.find('/');
    const std::string_view number = std::string_view(text).substr(0, slash);
    double value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    double per = 1.0;
    if (slash != std::string::npos) {
        const std::string_view unit = std::string_view(text).substr(slash + 1);
        if (unit == "s") per = 1.0;
        else if (unit == "m") per = 60.0;
        else if (unit == "h") per = 3600.0;
        else doc.fail(node, "arrival: unknown unit '/" + std::string(unit) + "' (use /s, /m or /h)");
    }
    if (number.empty() || error != std::errc() || end != number.data() + number.size() || !std::isfinite(value) ||
        value <= 0)
        doc.fail(node, "arrival: expected a rate like 10/s, 600/m or 0.5, got '" + text + "'");
    return value / per;
}

LoadStage read_stage(const Doc& doc, const YAML::Node& node) {
    LoadStage stage;
    set_position(stage, doc, node);
    if (!node.IsMap()) doc.fail(node, "stage: expected a mapping (ramp, hold or arrival), got " + describe(node));
    const bool ramp = bool(node["ramp"]), hold = bool(node["hold"]), arrival = bool(node["arrival"]);
    if (int(ramp) + int(hold) + int(arrival) != 1)
        doc.fail(node, "stage: give exactly one of 'ramp: VUS', 'hold: TIME' and 'arrival: RATE'");
    if (ramp) {
        check_map(doc, node, "stage", {"ramp", "over"});
        stage.kind = LoadStage::Kind::ramp;
        stage.target = static_cast<std::size_t>(
            read_int(doc, node["ramp"], "ramp", 0, static_cast<std::int64_t>(max_vus_per_stage)));
        if (const YAML::Node v = node["over"]) stage.duration = read_duration(doc, v, "over");
    } else if (hold) {
        check_map(doc, node, "stage", {"hold"});
        stage.kind = LoadStage::Kind::hold;
        stage.duration = read_duration(doc, node["hold"], "hold");
    } else {
        check_map(doc, node, "stage", {"arrival", "for", "stay"});
        stage.kind = LoadStage::Kind::arrival;
        stage.rate = read_rate(doc, node["arrival"]);
        if (!node["for"]) doc.fail(node, "stage: an arrival stage needs 'for: TIME'");
        if (!node["stay"]) doc.fail(node, "stage: an arrival stage needs 'stay: TIME' (how long each VU stays)");
        stage.duration = read_duration(doc, node["for"], "for");
        stage.stay = read_duration(doc, node["stay"], "stay");
        if (stage.stay <= std::chrono::microseconds(0)) doc.fail(node["stay"], "stay: must be longer than 0");
        const double arrivals = stage.rate * std::chrono::duration<double>(stage.duration).count();
        if (arrivals > static_cast<double>(max_vus_per_stage))
            doc.fail(node, "stage: " + std::to_string(static_cast<std::uint64_t>(arrivals)) + " arrivals; the limit is " +
                               std::to_string(max_vus_per_stage) + " per stage");
    }
    return stage;
}

UserGroup read_group(const Doc& doc, const YAML::Node& node) {
    UserGroup group;
    set_position(group, doc, node);
    if (!node.IsMap()) doc.fail(node, "users: expected a mapping per group, got " + describe(node));
    check_map(doc, node, "user group", {"name", "sources", "dashboard", "browser", "max_vus", "stages"});
    if (!node["name"]) doc.fail(node, "user group: missing required key 'name'");
    group.name = read_string(doc, node["name"], "name");
    const YAML::Node sources = node["sources"];
    const YAML::Node dashboard = node["dashboard"];
    if (bool(sources) == bool(dashboard))
        doc.fail(node, "user group '" + group.name + "': give exactly one of 'sources' and 'dashboard'");
    if (sources) {
        if (!sources.IsSequence() || sources.size() == 0)
            doc.fail(sources, "sources: expected a list of at least one source, got " + describe(sources));
        for (const auto& source : sources) group.sources.push_back(read_source(doc, source));
    } else {
        group.dashboard = read_string(doc, dashboard, "dashboard");
    }
    if (const YAML::Node v = node["browser"]) group.browser = read_bool(doc, v, "browser");
    if (const YAML::Node v = node["max_vus"])
        group.max_vus = static_cast<std::size_t>(read_int(doc, v, "max_vus", 1, max_vus_per_stage));
    const YAML::Node stages = node["stages"];
    if (!stages) doc.fail(node, "user group '" + group.name + "': missing required key 'stages'");
    if (!stages.IsSequence() || stages.size() == 0)
        doc.fail(stages, "stages: expected a list of at least one stage, got " + describe(stages));
    std::uint64_t sessions = 0;
    std::size_t running = 0;
    for (const auto& entry : stages) {
        const LoadStage& stage = group.stages.emplace_back(read_stage(doc, entry));
        if (stage.kind == LoadStage::Kind::ramp) {
            if (stage.target > running) sessions += stage.target - running;
            running = stage.target;
        } else if (stage.kind == LoadStage::Kind::arrival) {
            sessions += static_cast<std::uint64_t>(stage.rate * std::chrono::duration<double>(stage.duration).count());
        }
        if (sessions > max_planned_sessions)
            doc.fail(entry, "stages: more than " + std::to_string(max_planned_sessions) +
                                " VU sessions in one group; split the run or lower the rate");
    }
    return group;
}

}  // namespace

LoadSpec read_load(const Doc& doc, const YAML::Node& node, const std::vector<ProducerSpec>& producers) {
    if (!node.IsMap()) doc.fail(node, "load: expected a mapping with 'users', got " + describe(node));
    check_map(doc, node, "load", {"users", "thresholds", "abort_on_breach"});
    LoadSpec load;
    const YAML::Node users = node["users"];
    if (!users) doc.fail(node, "load: missing required key 'users'");
    if (!users.IsSequence() || users.size() == 0)
        doc.fail(users, "users: expected a list of at least one user group, got " + describe(users));
    std::map<std::string, int> names;
    for (const auto& entry : users) {
        UserGroup group = read_group(doc, entry);
        if (const auto [it, added] = names.emplace(group.name, group.line); !added)
            doc.fail(entry["name"], "duplicate user group name '" + group.name + "' (first at line " +
                                        std::to_string(it->second) + ")");
        for (std::size_t i = 0; i < group.sources.size(); ++i) {
            LoadSource& source = group.sources[i];
            if (source.producer.empty()) continue;
            const ProducerSpec* found = nullptr;
            for (const auto& producer : producers) {
                if (producer.name == source.producer) found = &producer;
            }
            const YAML::Node written = entry["sources"][i];
            if (!found)
                doc.fail(written.IsMap() ? written["producer"] : written,
                         "source: no producer named '" + source.producer + "' in this scenario");
            source.type = found->type;
        }
        load.users.push_back(std::move(group));
    }
    if (const YAML::Node list = node["thresholds"]) {
        if (!list.IsSequence()) doc.fail(list, "thresholds: expected a list like ['latency.p99 < 50ms'], got " +
                                                   describe(list));
        for (const auto& entry : list) {
            LoadThreshold threshold;
            set_position(threshold, doc, entry);
            const std::string text = read_string(doc, entry, "threshold");
            try {
                threshold.rule = threshold::parse(text);
            } catch (const threshold::SpecError& e) {
                YAML::Mark mark = entry.Mark();
                // Point into the text; a quoted scalar starts one column later, after its quote.
                mark.column += static_cast<int>(e.column()) - (entry.Tag() == "!" ? 0 : 1);
                doc.fail(mark, std::string("threshold: ") + e.what());
            }
            load.thresholds.push_back(std::move(threshold));
        }
    }
    if (const YAML::Node v = node["abort_on_breach"]) load.abort_on_breach = read_bool(doc, v, "abort_on_breach");
    return load;
}

}  // namespace evsim::scenario::detail
