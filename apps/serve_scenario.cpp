#include "serve_scenario.hpp"

#include <boost/asio/io_context.hpp>
#include <algorithm>
#include <exception>
#include <iomanip>
#include <iostream>
#include <stdexcept>
#include <utility>

#include "command.hpp"
#include "evsim/core/scenario.hpp"
#include "evsim/net/stop_signals.hpp"
#include "evsim/producers/control_api.hpp"
#include "evsim/producers/listener.hpp"
#include "evsim/producers/producer_set.hpp"

namespace evsim::app {

namespace {

namespace producers = evsim::producers;

// --tls, --tls-cert/--tls-key and the timeouts over what the scenario says.
void apply_settings(scenario::Scenario& scenario, const ServeSettings& settings) {
    if (settings.timeouts.header) scenario.timeouts.header = settings.timeouts.header;
    if (settings.timeouts.idle) scenario.timeouts.idle = settings.timeouts.idle;
    if (settings.tls_files) scenario.tls = settings.tls_files;
    if (!settings.tls_everywhere) return;
    for (auto& producer : scenario.producers) {
        if (producer.type != scenario::ProducerType::file) producer.tls = true;
    }
}

std::size_t widest_name(const producers::ProducerSet& set) {
    std::size_t width = 4;
    for (const auto& url : set.urls()) width = std::max(width, url.producer.size());
    return width;
}

// One line per producer, "NAME  TYPE   URL": scripts find a producer's URL by its name.
void print_table(const producers::ProducerSet& set, const scenario::Scenario& scenario,
                 const producers::ControlApi* control) {
    const auto width = static_cast<int>(widest_name(set));
    std::cout << "Serving " << set.size() << " producer" << (set.size() == 1 ? "" : "s") << " from "
              << scenario.source << " (seed " << set.seed() << ")\n";
    for (const auto& url : set.urls()) {
        std::cout << "  " << std::left << std::setw(width) << url.producer << "  " << std::setw(5)
                  << scenario::to_string(url.type) << "  " << url.url << "\n";
    }
    if (set.self_signed_tls()) std::cout << self_signed_note << "\n";
    if (control) std::cout << "Control API: " << control->url() << "\n";  // before the line scripts wait for
    std::cout << "Press Ctrl+C to stop.\n" << std::flush;  // scripts wait for this line
}

// What each producer did, printed when the run ends.
void print_summary(const producers::ProducerSet& set) {
    const auto width = static_cast<int>(widest_name(set));
    std::cout << "Stopped.\n  " << std::left << std::setw(width) << "name" << std::right << std::setw(8) << "events"
              << std::setw(10) << "bytes" << std::setw(9) << "dropped" << std::setw(10) << "requests" << std::setw(10)
              << "rejected" << "\n";
    for (const auto* producer : set.producers()) {
        const auto stats = producer->stats();
        std::cout << "  " << std::left << std::setw(width) << producer->spec().name << std::right << std::setw(8)
                  << stats.events_published << std::setw(10) << stats.bytes_sent << std::setw(9)
                  << stats.events_dropped << std::setw(10) << stats.requests_served << std::setw(10)
                  << stats.requests_rejected << "\n";
    }
    std::cout << std::flush;
}

}  // namespace

int run_scenario(scenario::Scenario scenario, const ServeSettings& settings) {
    apply_settings(scenario, settings);
    boost::asio::io_context io;
    std::optional<producers::ProducerSet> set;
    std::optional<producers::ControlApi> control;  // declared after the set: destroyed before it
    try {
        producers::ProducerSetOptions options;
        options.seed = settings.seed;
        options.workers = settings.workers;
        set.emplace(io, scenario, options);
        if (settings.control_port) {
            producers::ControlApiOptions control_options;
            control_options.port = *settings.control_port;
            control.emplace(io, *set, control_options);
        }
        set->start();
        if (control) control->start();
    } catch (const producers::BindError& e) {
        std::cerr << "evsim serve: " << e.what() << "\n";
        return kExitFailed;
    } catch (const std::invalid_argument& e) {
        std::cerr << "evsim serve: " << scenario.source << ": " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {  // a file that cannot be written
        std::cerr << "evsim serve: " << e.what() << "\n";
        return kExitFailed;
    }
    print_table(*set, scenario, control ? &*control : nullptr);
    net::StopSignals signals(io, [&set, &control](int) {
        if (control) control->stop();
        set->stop();
    });
    io.run();  // returns once stop() has closed everything
    print_summary(*set);
    return kExitOk;
}

int serve_scenario(const std::string& path, const ServeSettings& settings) {
    scenario::Scenario scenario;
    try {
        scenario = scenario::load_scenario_file(path);
    } catch (const scenario::ScenarioError& e) {
        std::cerr << "evsim serve: " << e.what() << "\n";
        return kExitUsage;
    }
    return run_scenario(std::move(scenario), settings);
}

}  // namespace evsim::app
