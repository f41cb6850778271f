// The top level of a scenario file, checks across producers, and reading the file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "scenario_parts.hpp"

namespace evsim::scenario {

std::string_view to_string(ProducerType type) noexcept {
    switch (type) {
        case ProducerType::sse: return "sse";
        case ProducerType::ws: return "ws";
        case ProducerType::fetch: return "fetch";
        case ProducerType::file: return "file";
    }
    return "?";
}

Scenario parse_scenario(std::string_view yaml_text, std::string_view source_name) {
    using detail::describe;
    const detail::Doc doc{std::string(source_name)};
    if (yaml_text.size() > max_file_bytes)
        throw ScenarioError({doc.source(), 1, 1}, "scenario is " + std::to_string(yaml_text.size()) +
                                                      " bytes; the limit is " + std::to_string(max_file_bytes) +
                                                      " (1 MiB)");
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& e) {
        // e.msg is the bare message; e.what() would repeat the position in yaml-cpp's own format.
        doc.fail(e.mark, "YAML syntax error: " + e.msg);
    }
    if (!root.IsMap()) doc.fail(root, "expected a mapping with 'producers' or 'load', got " + describe(root));
    detail::check_map(doc, root, "scenario", {"seed", "tls", "timeouts", "producers", "load"});

    Scenario scenario;
    scenario.source = std::string(source_name);
    if (const YAML::Node v = root["seed"]) scenario.seed = detail::read_uint64(doc, v, "seed");
    if (const YAML::Node v = root["tls"]) scenario.tls = detail::read_tls_files(doc, v);
    if (const YAML::Node v = root["timeouts"]) scenario.timeouts = detail::read_timeouts(doc, v);

    const YAML::Node producers = root["producers"];
    if (!producers && !root["load"]) doc.fail(root, "missing required key 'producers' (or 'load')");
    if (!producers) {
        scenario.load = detail::read_load(doc, root["load"], scenario.producers);
        return scenario;
    }
    if (!producers.IsSequence() || producers.size() == 0)
        doc.fail(producers, "producers: expected a list of at least one producer, got " + describe(producers));
    if (producers.size() > max_producers)
        doc.fail(producers, "producers: " + std::to_string(producers.size()) + " producers; the limit is " +
                                std::to_string(max_producers));

    std::map<std::string, const ProducerSpec*> by_name;
    std::map<std::pair<std::string, std::uint16_t>, std::vector<const ProducerSpec*>> by_address;
    scenario.producers.reserve(producers.size());
    for (const auto& entry : producers) {
        const ProducerSpec& producer = scenario.producers.emplace_back(detail::read_producer(doc, entry));
        if (const auto [it, added] = by_name.emplace(producer.name, &producer); !added)
            doc.fail(entry["name"], "duplicate producer name '" + producer.name + "' (first at line " +
                                        std::to_string(it->second->where.line) + ")");
        // Producers may share an address (one listener routes by path) when each has a path of its
        // own; port 0 asks for any free port, so it never clashes.
        if (producer.type == ProducerType::file || producer.port == 0) continue;
        auto& sharing = by_address[std::pair(producer.host, producer.port)];
        for (const ProducerSpec* other : sharing) {
            const std::string address = producer.host + ":" + std::to_string(producer.port);
            if (producer.paths.empty() || other->paths.empty())
                doc.fail(entry["listen"], "listen: " + address + " is already used by producer '" + other->name +
                                              "'; producers sharing an address need a path each");
            for (const std::string& path : producer.paths) {
                if (std::find(other->paths.begin(), other->paths.end(), path) != other->paths.end())
                    doc.fail(entry["path"], "path: " + path + " on " + address + " is already served by producer '" +
                                                other->name + "'");
            }
        }
        // One listener is either TLS or not.
        if (!sharing.empty() && sharing.front()->tls != producer.tls)
            doc.fail(entry["tls"] ? entry["tls"] : entry["listen"],
                     "tls: producer '" + sharing.front()->name + "' on " + producer.host + ":" +
                         std::to_string(producer.port) + (sharing.front()->tls ? " uses" : " does not use") +
                         " TLS; producers sharing an address must agree");
        sharing.push_back(&producer);
    }
    if (const YAML::Node load = root["load"]) scenario.load = detail::read_load(doc, load, scenario.producers);
    return scenario;
}

Scenario load_scenario_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ScenarioError({path, 1, 1}, "cannot read scenario file '" + path + "'");
    // Read one byte past the limit so an oversized file is reported as such, not parsed truncated.
    std::string text(max_file_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw ScenarioError({path, 1, 1}, "cannot read scenario file '" + path + "'");
    text.resize(static_cast<std::size_t>(in.gcount()));
    auto scenario = parse_scenario(text, path);
    if (scenario.tls) {
        // Certificate paths belong with the scenario, wherever it is run from.
        const auto base = std::filesystem::path(path).parent_path();
        for (std::string* file : {&scenario.tls->certificate, &scenario.tls->key}) {
            if (std::filesystem::path(*file).is_relative()) *file = (base / *file).string();
        }
    }
    if (scenario.load) {
        // So are the dashboards of user groups and the paths of FILE sources.
        const auto base = std::filesystem::path(path).parent_path();
        for (auto& group : scenario.load->users) {
            if (!group.dashboard.empty() && std::filesystem::path(group.dashboard).is_relative())
                group.dashboard = (base / group.dashboard).string();
        }
    }
    return scenario;
}

}  // namespace evsim::scenario
