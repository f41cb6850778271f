#include <algorithm>
#include <iostream>

#include "command.hpp"
#include "evsim/core/dashboard_config.hpp"
#include "serve_scenario.hpp"

namespace evsim::app {

namespace {

// The producers cannot serve https:// or wss:// yet: a plain listener where the dashboard expects
// TLS would only produce handshake errors in the browser, so such entries are skipped and said so.
void skip_tls_entries(dashboard::DashboardPlan& plan) {
    for (auto& entry : plan.entries) {
        if (!entry.served || !entry.tls) continue;
        std::erase_if(plan.scenario.producers,
                      [&](const scenario::ProducerSpec& spec) { return spec.name == entry.producer; });
        entry.served = false;
        entry.reason = "https/wss needs a TLS listener, which evsim serve does not offer yet (use http/ws)";
    }
}

}  // namespace

int serve_dashboard(const std::string& config_path, std::optional<std::uint64_t> seed,
                    std::optional<std::uint16_t> control_port) {
    dashboard::DashboardPlan plan;
    try {
        plan = dashboard::load_dashboard_config(config_path);
    } catch (const scenario::ScenarioError& e) {
        std::cerr << "evsim serve: " << e.what() << "\n";
        return kExitUsage;
    }
    skip_tls_entries(plan);
    std::cout << "Event providers in " << config_path << ":\n" << dashboard::format_entries(plan.entries) << "\n";
    if (plan.scenario.producers.empty()) {
        std::cerr << "evsim serve: no entry of " << config_path << " can be served from this machine\n";
        return kExitFailed;
    }
    return run_scenario(plan.scenario, seed, control_port);
}

}  // namespace evsim::app
