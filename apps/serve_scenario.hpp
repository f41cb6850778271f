// `evsim serve SCENARIO.yaml`: the scenario's producers until SIGINT/SIGTERM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "evsim/core/scenario.hpp"

namespace evsim::app {

// Loads `path`, starts its producers, prints where they are, runs until a signal, prints what they
// sent. `seed` overrides the scenario's. Returns the exit code: 2 for a mistake in the scenario
// (printed as FILE:LINE:COLUMN: message), 1 when an address cannot be bound or a file written.
// `control_port`: also serve the control API on 127.0.0.1 at that port (0: any free port).
int serve_scenario(const std::string& path, std::optional<std::uint64_t> seed,
                   std::optional<std::uint16_t> control_port = std::nullopt);

// The same for a scenario already in memory (`scenario.source` names it in messages).
int run_scenario(const scenario::Scenario& scenario, std::optional<std::uint64_t> seed,
                 std::optional<std::uint16_t> control_port);

// `evsim serve --dashboard config.js`: the producers the dashboard's sys_eventProviders registry
// reads from this machine, after a table of what is served and what is skipped and why.
int serve_dashboard(const std::string& config_path, std::optional<std::uint64_t> seed,
                    std::optional<std::uint16_t> control_port);

}  // namespace evsim::app
