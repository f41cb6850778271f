#include <algorithm>
#include <iostream>
#include <utility>

#include "command.hpp"
#include "evsim/core/dashboard_config.hpp"
#include "serve_scenario.hpp"

namespace evsim::app {

int serve_dashboard(const std::string& config_path, const ServeSettings& settings) {
    dashboard::DashboardPlan plan;
    try {
        plan = dashboard::load_dashboard_config(config_path);
    } catch (const scenario::ScenarioError& e) {
        std::cerr << "evsim serve: " << e.what() << "\n";
        return kExitUsage;
    }
    std::cout << "Event providers in " << config_path << ":\n" << dashboard::format_entries(plan.entries) << "\n";
    if (plan.scenario.producers.empty()) {
        std::cerr << "evsim serve: no entry of " << config_path << " can be served from this machine\n";
        return kExitFailed;
    }
    // https:// and wss:// entries get TLS listeners (a self-signed certificate unless --tls-cert).
    return run_scenario(std::move(plan.scenario), settings);
}

}  // namespace evsim::app
