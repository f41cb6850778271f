// A producer's `faults:` list: each entry a kind, one trigger and the kind's own parameters.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "evsim/core/faults.hpp"
#include "scenario_parts.hpp"

namespace evsim::scenario::detail {
namespace {

using faults::Kind;

constexpr std::size_t max_faults = 100;


// The keys a kind takes besides kind, scope and the trigger keys: anything else is a mistake.
std::vector<std::string_view> parameters_of(Kind kind) {
    switch (kind) {
        case Kind::close: return {"close_code"};
        case Kind::stall: return {"duration"};
        case Kind::drip: return {"duration", "gap", "chunk"};
        case Kind::split: return {"at_bytes", "gap"};
        case Kind::malformed: return {"bytes"};
        case Kind::status: return {"status"};
        case Kind::redirect: return {"status", "location"};
        case Kind::content_type: return {"content_type"};
        case Kind::torn_write: return {"duration"};
        case Kind::reset: return {};
    }
    return {};
}

Kind read_kind(const Doc& doc, const YAML::Node& node) {
    const std::string text = read_string(doc, node, "faults.kind");
    if (const auto kind = faults::parse_kind(text)) return *kind;
    std::string message = "faults.kind: expected close, reset, stall, drip, split, malformed, status, redirect, "
                          "content_type or torn_write, got " + describe(node);
    const std::string hint = suggest(text, {"close", "reset", "stall", "drip", "split", "malformed", "status",
                                            "redirect", "content_type", "torn_write"});
    if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
    doc.fail(node, message);
}

void read_trigger(const Doc& doc, const YAML::Node& node, faults::Trigger& trigger) {
    if (const YAML::Node v = node["after"])
        trigger.after = static_cast<std::uint64_t>(read_int(doc, v, "faults.after", 1, INT64_MAX));
    if (const YAML::Node v = node["every"])
        trigger.every = static_cast<std::uint64_t>(read_int(doc, v, "faults.every", 1, INT64_MAX));
    if (const YAML::Node v = node["at"]) trigger.at = read_duration(doc, v, "faults.at");
    if (const YAML::Node v = node["probability"]) {
        trigger.probability = read_double(doc, v, "faults.probability");
        if (!(*trigger.probability > 0 && *trigger.probability <= 1))
            doc.fail(v, "faults.probability: must be greater than 0 and at most 1, got " + describe(v));
    }
    if (const YAML::Node v = node["times"])
        trigger.times = static_cast<std::uint64_t>(read_int(doc, v, "faults.times", 1, INT64_MAX));
    const int set = (trigger.after ? 1 : 0) + (trigger.every ? 1 : 0) + (trigger.at ? 1 : 0) +
                    (trigger.probability ? 1 : 0);
    if (set != 1)
        doc.fail(node, "faults: needs exactly one trigger of after, every, at or probability (got " +
                           std::to_string(set) + ")");
}

faults::FaultSpec read_fault(const Doc& doc, const YAML::Node& node, ProducerType type) {
    if (!node.IsMap()) doc.fail(node, "faults: expected a mapping like {kind: close, after: 10}, got " + describe(node));
    if (!node["kind"]) doc.fail(node, "faults: missing required key 'kind'");
    faults::FaultSpec fault;
    fault.kind = read_kind(doc, node["kind"]);
    std::vector<std::string_view> allowed = {"kind", "scope", "after", "every", "at", "probability", "times"};
    for (const auto key : parameters_of(fault.kind)) allowed.push_back(key);
    for (const auto& entry : node) {
        const auto key = entry.first.as<std::string>();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            doc.fail(entry.first, "faults: '" + key + "' is not a parameter of " +
                                      std::string(faults::to_string(fault.kind)) + " faults");
    }
    if (const YAML::Node v = node["scope"]) {
        const std::string scope = read_string(doc, v, "faults.scope");
        if (scope == "connection") fault.scope = faults::Scope::connection;
        else if (scope == "producer") fault.scope = faults::Scope::producer;
        else doc.fail(v, "faults.scope: expected connection or producer, got " + describe(v));
    }
    read_trigger(doc, node, fault.trigger);
    if (const YAML::Node v = node["duration"]) fault.duration = read_duration(doc, v, "faults.duration");
    if (const YAML::Node v = node["gap"]) fault.gap = read_duration(doc, v, "faults.gap");
    if (const YAML::Node v = node["chunk"]) fault.chunk = static_cast<std::size_t>(read_int(doc, v, "faults.chunk", 1, 65536));
    if (const YAML::Node v = node["at_bytes"]) {
        if (!v.IsSequence()) doc.fail(v, "faults.at_bytes: expected a list of byte positions, got " + describe(v));
        for (const auto& item : v)
            fault.at_bytes.push_back(static_cast<std::size_t>(read_int(doc, item, "faults.at_bytes", 1, 16 << 20)));
    }
    if (const YAML::Node v = node["bytes"]) fault.bytes = read_string(doc, v, "faults.bytes");
    if (const YAML::Node v = node["status"]) fault.status = static_cast<int>(read_int(doc, v, "faults.status", 100, 599));
    if (fault.kind == Kind::redirect && !node["status"]) fault.status = 307;
    if (const YAML::Node v = node["location"]) fault.location = read_string(doc, v, "faults.location");
    if (const YAML::Node v = node["content_type"]) fault.content_type = read_string(doc, v, "faults.content_type");
    if (const YAML::Node v = node["close_code"])
        fault.close_code = static_cast<std::uint16_t>(read_int(doc, v, "faults.close_code", 1000, 4999));
    if (fault.kind == Kind::malformed && !node["bytes"])
        fault.bytes = type == ProducerType::ws ? faults::default_malformed_ws() : faults::default_malformed_sse();
    try {
        faults::validate(fault, to_string(type));
    } catch (const faults::SpecError& e) {
        doc.fail(node, std::string("faults: ") + e.what());
    }
    return fault;
}

}  // namespace

std::vector<faults::FaultSpec> read_faults(const Doc& doc, const YAML::Node& node, ProducerType type) {
    if (!node.IsSequence()) doc.fail(node, "faults: expected a list of faults, got " + describe(node));
    if (node.size() > max_faults)
        doc.fail(node, "faults: " + std::to_string(node.size()) + " faults; the limit is " + std::to_string(max_faults));
    std::vector<faults::FaultSpec> result;
    for (const auto& entry : node) result.push_back(read_fault(doc, entry, type));
    return result;
}

}  // namespace evsim::scenario::detail
