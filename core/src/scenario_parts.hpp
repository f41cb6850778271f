// The pieces of the scenario loader, one file each: payload specs (scenario_payload.cpp), producer
// entries (scenario_producer.cpp) and their type-specific settings (scenario_settings.cpp).
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "evsim/core/payload.hpp"
#include "evsim/core/scenario.hpp"
#include "scenario_yaml.hpp"

namespace evsim::scenario::detail {

// A generator mapping with exactly one generator key; `key` names it in messages ("payload").
// Only the shape and types are checked here; the caller runs payload::validate on the result.
payload::GeneratorSpec read_generator(const Doc& doc, const YAML::Node& node, const std::string& key,
                                      std::size_t depth = 0);

// One entry of `producers`, fully checked except for name uniqueness and port clashes, which need
// the other entries.
ProducerSpec read_producer(const Doc& doc, const YAML::Node& node);

// The settings blocks; `node` is the block's value.
CorsPolicy read_cors(const Doc& doc, const YAML::Node& node);
SseSettings read_sse(const Doc& doc, const YAML::Node& node);
WsSettings read_ws(const Doc& doc, const YAML::Node& node);
FetchSettings read_fetch(const Doc& doc, const YAML::Node& node);
FileSettings read_file(const Doc& doc, const YAML::Node& node);
QueueSettings read_queue(const Doc& doc, const YAML::Node& node);
EventSourceLibSettings read_eventsource_lib(const Doc& doc, const YAML::Node& node);
WatchSettings read_watch(const Doc& doc, const YAML::Node& node);
PushModuleSettings read_push(const Doc& doc, const YAML::Node& node);
DatalayerSettings read_datalayer(const Doc& doc, const YAML::Node& node);
// A `replay:` block (sse.replay, push.replay); `key` prefixes its messages.
ReplaySettings read_replay(const Doc& doc, const YAML::Node& node, const std::string& key);
// The scenario's top-level `tls` and `timeouts` blocks (scenario_settings.cpp).
TlsFiles read_tls_files(const Doc& doc, const YAML::Node& node);
Timeouts read_timeouts(const Doc& doc, const YAML::Node& node);
// The `faults:` list (scenario_faults.cpp); `type` rejects kinds that cannot apply.
std::vector<faults::FaultSpec> read_faults(const Doc& doc, const YAML::Node& node, ProducerType type);

// The `load:` section (scenario_load_section.cpp); source names are checked against `producers`.
LoadSpec read_load(const Doc& doc, const YAML::Node& node, const std::vector<ProducerSpec>& producers);

}  // namespace evsim::scenario::detail
