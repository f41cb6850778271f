// `evsim run [SCENARIO]`: the main job. Starts the scenario's producers in this process, plays its
// load section against them, reports and exits by the thresholds. With no scenario, the built-in
// scenarios/quickstart.yaml. See docs/load.md.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/program_options.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include "command.hpp"
#include "command_line.hpp"
#include "load_session.hpp"
#include "quickstart_scenario.hpp"
#include "serve_scenario.hpp"
#include "evsim/producers/listener.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/producer_set.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;

po::options_description make_options() {
    po::options_description options("options");
    options.add_options()("help,h", "print this help and exit")(
        "seed", po::value<std::uint64_t>()->value_name("N"), "seed for the producers' values (default: the scenario's)")(
        "print-scenario", "print the built-in quickstart scenario and exit");
    add_load_options(options);
    return options;
}

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim run [SCENARIO.yaml] [options]\n\n"
           "Starts the scenario's producers in this process, plays its 'load' section against them\n"
           "(virtual users, browser connection pools, reconnects), prints a summary and exits by its\n"
           "thresholds. Without a scenario it runs the built-in quickstart (scenarios/quickstart.yaml):\n"
           "the four reference event sources under a short load, in about 25 seconds.\n\n"
        << options
        << "\nexit codes: 0 every threshold passed, 1 a threshold failed or a producer could not start,\n"
           "2 bad usage or a mistake in the scenario\n";
}

}  // namespace

int run_run(const std::vector<std::string>& args) {
    const auto options = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("run", args, options,
                                      [&options](std::ostream& out) { print_help(out, options); }, exit_code);
    if (!parsed) return exit_code;
    if (parsed->flags.count("print-scenario")) {
        std::cout << quickstart_scenario_yaml;
        return kExitOk;
    }
    if (parsed->positional.size() > 1) return usage_error("run", "expected at most one scenario file");
    LoadSettings settings;
    try {
        settings = load_settings_from(parsed->flags);
    } catch (const std::invalid_argument& e) {
        return usage_error("run", e.what());
    }
    scenario::Scenario scenario;
    try {
        scenario = parsed->positional.empty()
                       ? scenario::parse_scenario(quickstart_scenario_yaml, quickstart_scenario_name)
                       : scenario::load_scenario_file(parsed->positional.front());
    } catch (const scenario::ScenarioError& e) {
        std::cerr << "evsim run: " << e.what() << "\n";
        return kExitUsage;
    }
    if (!check_load_section(scenario, "run")) return kExitUsage;

    // The producers run on their own thread while the load generator runs on its own.
    boost::asio::io_context io;
    std::optional<producers::ProducerSet> set;
    if (!scenario.producers.empty()) {
        try {
            producers::ProducerSetOptions producer_options;
            if (parsed->flags.count("seed")) producer_options.seed = parsed->flags["seed"].as<std::uint64_t>();
            producer_options.log = producers::null_log();  // the load summary reports what went wrong
            set.emplace(io, scenario, producer_options);
            set->start();
        } catch (const producers::BindError& e) {
            std::cerr << "evsim run: " << e.what() << "\n";
            return kExitFailed;
        } catch (const std::invalid_argument& e) {
            std::cerr << "evsim run: " << scenario.source << ": " << e.what() << "\n";
            return kExitUsage;
        } catch (const std::exception& e) {
            std::cerr << "evsim run: " << e.what() << "\n";
            return kExitFailed;
        }
    }
    std::map<std::string, std::string> urls;
    if (set) {
        std::cout << "evsim run: " << scenario.source << ": " << set->size() << " producer"
                  << (set->size() == 1 ? "" : "s") << " (seed " << set->seed() << ")\n";
        for (const auto& url : set->urls()) {
            urls[url.producer] = url.url;
            std::cout << "  " << url.producer << "  " << scenario::to_string(url.type) << "  " << url.url << "\n";
        }
        std::cout << std::flush;
    }
    auto work = boost::asio::make_work_guard(io);
    std::thread producer_thread([&io] { io.run(); });

    const int result = play_load(scenario, urls, set && set->self_signed_tls(), settings, "run");

    boost::asio::post(io, [&set] {
        if (set) set->stop();
    });
    work.reset();
    producer_thread.join();
    if (set) {
        const auto totals = set->totals();
        std::cout << "producers: published " << totals.events_published << " events, sent " << totals.bytes_sent
                  << " bytes, dropped " << totals.events_dropped << " for slow clients, served "
                  << totals.requests_served << " requests\n";
    }
    return result;
}

}  // namespace evsim::app
