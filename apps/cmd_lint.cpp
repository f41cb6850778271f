// `evsim lint config.js`: what in a dashboard's sys_eventProviders registry will go wrong in a
// browser (the connection limit, schemes, events, intervals, credentials), as compiler-style lines
// or JSON. See docs/lint.md.
#include <boost/program_options.hpp>
#include <charconv>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "command_line.hpp"
#include "evsim/conformance/dashboard_lint.hpp"
#include "evsim/core/dashboard_config.hpp"
#include "evsim/producers/interval.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;
using namespace std::chrono_literals;

po::options_description make_options() {
    po::options_description options("options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("format", po::value<std::string>()->value_name("FORMAT"), "text (default) or json")
        ("min-interval", po::value<std::string>()->value_name("TIME"),
         "FETCH and FILE polling faster than this is a warning (default 250ms)")
        ("probe", "ask each FETCH source with credentials 'include' what it answers a credentialed CORS "
                  "request (network access to the dashboard's servers)")
        ("origin", po::value<std::string>()->value_name("ORIGIN"),
         "the dashboard page's origin, sent as Origin by --probe (default http://localhost)")
        ("timeout", po::value<std::string>()->value_name("TIME"), "--probe: per-request limit (default 5s)");
    return options;
}

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim lint config.js [--format text|json] [--min-interval TIME] [--probe [--origin O]]\n\n"
           "Reads the dashboard's sys_eventProviders registry (without running config.js) and reports what\n"
           "will go wrong in a browser: more than six EventSources to one HTTP/1.1 host (the seventh never\n"
           "connects, FETCH sources starve behind six streams), URL schemes that do not fit the type, WSS and\n"
           "FETCH entries naming several events, missing or too short polling intervals, FETCH credentials\n"
           "'include' against a server that allows '*' (with --probe), duplicate sources.\n\n"
        << options
        << "\nexit codes: 0 no errors (warnings and notes allowed), 1 errors found, 2 bad usage or a config.js\n"
           "that cannot be read (reported as FILE:LINE:COLUMN: what is wrong)\n";
}

int usage_error(const std::string& message) { return app::usage_error("lint", message); }

}  // namespace

int run_lint(const std::vector<std::string>& args) {
    const auto description = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("lint", args, description,
                                      [&](std::ostream& out) { print_help(out, description); }, exit_code);
    if (!parsed) return exit_code;
    const auto& line = *parsed;
    const auto& flags = line.flags;
    const auto& files = line.positional;
    if (files.empty()) return usage_error("which config.js? (evsim lint config.js)");
    if (files.size() > 1) return usage_error("unexpected argument '" + files[1] + "': lint reads one config.js");

    conformance::LintOptions options;
    std::string format = "text";
    auto timeout = std::chrono::milliseconds(5s);
    try {
        if (flags.count("format")) format = flags["format"].as<std::string>();
        if (format != "text" && format != "json") return usage_error("--format: expected text or json, got '" + format + "'");
        if (flags.count("min-interval")) options.min_interval = producers::parse_interval(flags["min-interval"].as<std::string>());
        if (flags.count("timeout")) timeout = producers::parse_interval(flags["timeout"].as<std::string>());
    } catch (const std::invalid_argument& e) {
        return usage_error(e.what());
    }
    if (flags.count("origin")) {
        options.origin = flags["origin"].as<std::string>();
        if (options.origin.find("://") == std::string::npos || options.origin.back() == '/')
            return usage_error("--origin: expected an origin like http://localhost:3000, got '" + options.origin + "'");
    }
    if (flags.count("probe")) options.probe = conformance::live_cors_probe(timeout);

    const std::string& file = files.front();
    js::Value registry;
    dashboard::DashboardPlan plan;
    try {
        registry = dashboard::read_registry(dashboard::read_config_text(file), file);
        plan = dashboard::plan_from_registry(registry, file);
    } catch (const scenario::ScenarioError& e) {
        std::cerr << "evsim lint: " << e.what() << "\n";
        return kExitUsage;
    }
    const auto findings = conformance::lint_dashboard(registry, plan, options);
    const std::size_t entries = registry.as_array().size();
    std::cout << (format == "json" ? conformance::format_json(findings, entries, file)
                                   : conformance::format_text(findings, entries))
              << std::flush;
    return conformance::count(findings).errors > 0 ? kExitFailed : kExitOk;
}

}  // namespace evsim::app
