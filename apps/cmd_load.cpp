// `evsim load SCENARIO`: the scenario's load section against producers that are already running
// (evsim serve, or the system under test). See docs/load.md.
#include <boost/program_options.hpp>
#include <iostream>

#include "command.hpp"
#include "command_line.hpp"
#include "load_session.hpp"
#include "evsim/loadgen/results.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;

po::options_description make_options() {
    po::options_description options("options");
    options.add_options()("help,h", "print this help and exit")("metrics", "list the metrics thresholds can use and exit");
    add_load_options(options);
    return options;
}

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim load SCENARIO.yaml [options]\n\n"
           "Plays the scenario's 'load' section: virtual users arrive by its stages and open their\n"
           "sources (SSE, WebSocket, fetch polling, file polling), against producers that are already\n"
           "running: sources naming a producer use the address its spec fixes; 'evsim run' starts the\n"
           "producers too. Prints live progress on stderr and a summary on stdout; SIGINT stops early\n"
           "and still writes every output. See docs/load.md.\n\n"
        << options
        << "\nexit codes: 0 every threshold passed, 1 a threshold failed, 2 bad usage, a mistake in the\n"
           "scenario or an output that cannot be written\n";
}

}  // namespace

int run_load(const std::vector<std::string>& args) {
    const auto options = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("load", args, options,
                                      [&options](std::ostream& out) { print_help(out, options); }, exit_code);
    if (!parsed) return exit_code;
    if (parsed->flags.count("metrics")) {
        for (const auto& name : loadgen::metric_names()) std::cout << name << "\n";
        return kExitOk;
    }
    if (parsed->positional.size() != 1) return usage_error("load", "expected one scenario file");
    LoadSettings settings;
    try {
        settings = load_settings_from(parsed->flags);
    } catch (const std::invalid_argument& e) {
        return usage_error("load", e.what());
    }
    scenario::Scenario scenario;
    try {
        scenario = scenario::load_scenario_file(parsed->positional.front());
    } catch (const scenario::ScenarioError& e) {
        std::cerr << "evsim load: " << e.what() << "\n";
        return kExitUsage;
    }
    if (!check_load_section(scenario, "load")) return kExitUsage;
    return play_load(scenario, {}, false, settings, "load");
}

}  // namespace evsim::app
