#include "evsim/loadgen/targets.hpp"

#include <cmath>
#include <filesystem>

#include "evsim/core/dashboard_config.hpp"
#include "evsim/core/js_literal.hpp"

namespace evsim::loadgen {

namespace {

std::string at(const scenario::Scenario& scenario, int line, int column) {
    return scenario.source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

// One element of a dashboard's sys_eventProviders as a load source.
TargetSource dashboard_source(const js::Value& item, const std::filesystem::path& config, std::size_t index) {
    const std::string where = config.string() + ":" + std::to_string(item.at.line) + ":" +
                              std::to_string(item.at.column) + ": ";
    if (!item.is_object()) throw TargetError(where + "entry " + std::to_string(index) + " is not an object");
    const js::Value* type = item.find("type");
    const js::Value* url = item.find("url");
    if (!type || !type->is_string()) throw TargetError(where + "entry " + std::to_string(index) + " has no type");
    if (!url || !url->is_string() || url->as_string().empty())
        throw TargetError(where + "entry " + std::to_string(index) + " has no url");
    const auto kind = dashboard::source_type(type->as_string());
    if (!kind) throw TargetError(where + "entry " + std::to_string(index) + ": unknown type '" + type->as_string() + "'");
    TargetSource source;
    source.label = config.filename().string() + "#" + std::to_string(index);
    source.spec.type = *kind;
    source.spec.url = url->as_string();
    source.spec.line = item.at.line;
    source.spec.column = item.at.column;
    if (*kind == scenario::ProducerType::file && !source.spec.url.starts_with("/") &&
        !source.spec.url.starts_with("file://")) {
        source.spec.url = (config.parent_path() / source.spec.url).lexically_normal().string();
    }
    if (const js::Value* interval = item.find("interval"); interval && interval->is_number()) {
        const double ms = interval->as_number();
        if (!std::isfinite(ms) || ms < 1 || ms > 86'400'000)
            throw TargetError(where + "entry " + std::to_string(index) + ": interval must be 1 ms to 24 h");
        source.spec.interval = std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000));
    }
    return source;
}

std::vector<TargetSource> dashboard_sources(const std::string& path) {
    try {
        const std::string text = dashboard::read_config_text(path);
        const js::Value registry = dashboard::read_registry(text, path);
        std::vector<TargetSource> sources;
        std::size_t index = 0;
        for (const auto& item : registry.as_array()) sources.push_back(dashboard_source(item, path, ++index));
        if (sources.empty()) throw TargetError(path + ": sys_eventProviders is empty");
        return sources;
    } catch (const scenario::ScenarioError& e) {
        throw TargetError(e.what());
    }
}

}  // namespace

std::string fixed_url_of(const scenario::ProducerSpec& producer) {
    if (producer.type == scenario::ProducerType::file) return producer.file.path;
    if (producer.port == 0) return {};
    std::string scheme = producer.type == scenario::ProducerType::ws ? "ws" : "http";
    if (producer.tls) scheme += 's';
    const bool v6 = producer.host.find(':') != std::string::npos;
    std::string host = v6 ? "[" + producer.host + "]" : producer.host;
    if (producer.host == "0.0.0.0") host = "127.0.0.1";
    if (producer.host == "::") host = "[::1]";
    return scheme + "://" + host + ":" + std::to_string(producer.port) +
           (producer.paths.empty() ? "/" : producer.paths.front());
}

std::vector<TargetGroup> resolve_targets(const scenario::Scenario& scenario,
                                         const std::map<std::string, std::string>& producer_urls,
                                         bool insecure_producers) {
    if (!scenario.load) throw TargetError(scenario.source + ": the scenario has no 'load' section");
    std::vector<TargetGroup> groups;
    for (const auto& group : scenario.load->users) {
        TargetGroup target;
        target.name = group.name;
        target.browser = group.browser.value_or(!group.dashboard.empty());
        if (!group.dashboard.empty()) target.sources = dashboard_sources(group.dashboard);
        for (const auto& spec : group.sources) {
            TargetSource source{spec, spec.producer.empty() ? spec.url : spec.producer};
            if (!spec.producer.empty()) {
                if (const auto it = producer_urls.find(spec.producer); it != producer_urls.end()) {
                    source.spec.url = it->second;
                    source.spec.insecure = source.spec.insecure || insecure_producers;
                } else {
                    for (const auto& producer : scenario.producers) {
                        if (producer.name == spec.producer) source.spec.url = fixed_url_of(producer);
                    }
                    if (source.spec.url.empty())
                        throw TargetError(at(scenario, spec.line, spec.column) + "producer '" + spec.producer +
                                          "' listens on any free port, so 'evsim load' cannot find it: give the "
                                          "source a url, or run producers and load together with 'evsim run'");
                }
            }
            target.sources.push_back(std::move(source));
        }
        groups.push_back(std::move(target));
    }
    return groups;
}

}  // namespace evsim::loadgen
