// Turning a scenario's user groups into what the load generator connects to: every source with
// its URL (a producer's address filled in; a dashboard group's config.js read, each entry a
// source) and whether the group uses the browser's connection pool.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "evsim/core/scenario.hpp"

namespace evsim::loadgen {

struct TargetSource {
    scenario::LoadSource spec;  // url and type filled in
    std::string label;          // "fast-sse", "config.js#3"
};

struct TargetGroup {
    std::string name;
    std::vector<TargetSource> sources;
    bool browser = false;
};

// A source that cannot be resolved: the message starts with "FILE:LINE:COLUMN: " when the
// scenario says where.
class TargetError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `producer_urls`: name -> URL of the producers that are running (evsim run); producers not in
// it get the address their spec fixes (evsim load against producers started elsewhere), and one
// listening on "any free port" cannot be found. `insecure_producers`: producers whose TLS
// certificate was made at start (their sources skip verification). Throws TargetError.
std::vector<TargetGroup> resolve_targets(const scenario::Scenario& scenario,
                                         const std::map<std::string, std::string>& producer_urls,
                                         bool insecure_producers = false);

// The URL a producer's spec fixes: "http://127.0.0.1:8081/events"; empty for port 0.
std::string fixed_url_of(const scenario::ProducerSpec& producer);

}  // namespace evsim::loadgen
