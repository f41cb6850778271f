// `evsim serve SCENARIO.yaml` and `evsim serve --dashboard config.js`: producers until SIGINT/SIGTERM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "evsim/core/scenario.hpp"

namespace evsim::app {

// What the command line adds to a scenario.
struct ServeSettings {
    std::optional<std::uint64_t> seed;          // overrides the scenario's
    std::optional<std::uint16_t> control_port;  // also serve the control API on 127.0.0.1 (0: any port)
    bool tls_everywhere = false;                // --tls: every network producer serves https / wss
    std::optional<scenario::TlsFiles> tls_files;  // --tls-cert / --tls-key: instead of the scenario's
    std::size_t workers = 0;  // --threads N: N-1 connection-serving threads besides the main one
    scenario::Timeouts timeouts;  // --header-timeout, --idle-timeout: over the scenario's
};

// Printed when some producer serves TLS with the certificate made at start.
inline constexpr const char* self_signed_note =
    "TLS: self-signed certificate for localhost and 127.0.0.1, made at start: clients must skip "
    "verification (curl -k, evsim listen -k) and browsers must accept it once";

// Loads `path`, starts its producers, prints where they are, runs until a signal, prints what they
// sent. Returns the exit code: 2 for a mistake in the scenario (printed as FILE:LINE:COLUMN:
// message) or an unusable certificate, 1 when an address cannot be bound or a file written.
int serve_scenario(const std::string& path, const ServeSettings& settings);

// The same for a scenario already in memory (`scenario.source` names it in messages).
int run_scenario(scenario::Scenario scenario, const ServeSettings& settings);

// `evsim serve --dashboard config.js`: the producers the dashboard's sys_eventProviders registry
// reads from this machine, after a table of what is served and what is skipped and why.
int serve_dashboard(const std::string& config_path, const ServeSettings& settings);

}  // namespace evsim::app
