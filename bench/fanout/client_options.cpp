#include "client_options.hpp"

#include <boost/program_options.hpp>
#include <cmath>
#include <iostream>

namespace evsim::bench::fanout {

namespace po = boost::program_options;

namespace {

constexpr const char* usage_text =
    "usage: evsim_fanout_client URL [options]\n\n"
    "Opens many subscriber connections to one event stream from a single thread and measures what\n"
    "arrives. URL http://host:port/path subscribes with a plain GET and parses the body as SSE;\n"
    "ws://host:port/path subscribes with a WebSocket upgrade and counts every message.\n\n"
    "Default: ramp up, wait --warmup, print \"measuring N\" (N established), count events for\n"
    "--duration, print one JSON line.\n"
    "--idle: ramp up, print \"ready N\" once all N are established, hold them until SIGINT/SIGTERM\n"
    "(or --hold), then print one JSON line.\n\n";

double positive(const po::variables_map& vm, const char* name, double low, double high) {
    const double value = vm[name].as<double>();
    if (!std::isfinite(value) || value < low || value > high) {
        throw UsageError(std::string("--") + name + ": " + std::to_string(value) + " is out of range (" +
                         std::to_string(low) + " to " + std::to_string(high) + ")");
    }
    return value;
}

}  // namespace

std::optional<ClientOptions> parse_client_options(int argc, char** argv) {
    ClientOptions o;
    po::options_description options("options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("connections,n", po::value<std::size_t>()->default_value(o.connections), "subscriber connections to open")
        ("ramp-rate", po::value<double>()->default_value(o.ramp_rate), "new connections per second while ramping up")
        ("max-pending", po::value<std::size_t>()->default_value(o.max_pending),
         "connection attempts in flight at once while ramping up")
        ("warmup", po::value<double>()->default_value(o.warmup_seconds), "seconds after the ramp before counting")
        ("duration,d", po::value<double>()->default_value(o.duration_seconds), "seconds to count events for")
        ("idle", "hold idle connections instead of measuring (prints \"ready N\")")
        ("hold", po::value<double>(), "with --idle: seconds to hold before ending (default: until a signal)");
    po::options_description hidden;
    hidden.add_options()("url", po::value<std::string>());
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("url", 1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    if (vm.count("help") != 0U) {
        std::cout << usage_text << options
                  << "\nexit codes: 0 every connection worked, 1 a connection failed or ended early (the JSON "
                     "line says how many), 2 bad usage\n";
        return std::nullopt;
    }
    if (vm.count("url") == 0U) throw UsageError("missing URL (try --help)");
    o.url = vm["url"].as<std::string>();
    o.connections = vm["connections"].as<std::size_t>();
    if (o.connections == 0 || o.connections > 100000) throw UsageError("--connections: 1 to 100000");
    o.ramp_rate = positive(vm, "ramp-rate", 1, 1e6);
    o.max_pending = vm["max-pending"].as<std::size_t>();
    if (o.max_pending == 0) throw UsageError("--max-pending: at least 1");
    o.warmup_seconds = positive(vm, "warmup", 0, 3600);
    o.duration_seconds = positive(vm, "duration", 0.1, 86400);
    o.idle = vm.count("idle") != 0U;
    if (vm.count("hold") != 0U) {
        if (!o.idle) throw UsageError("--hold goes with --idle");
        o.hold_seconds = positive(vm, "hold", 0, 86400);
    }
    return o;
}

}  // namespace evsim::bench::fanout
