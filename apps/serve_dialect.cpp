#include "serve_dialect.hpp"

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <charconv>
#include <stdexcept>

namespace evsim::app {

namespace po = boost::program_options;

namespace {

std::string text_of(const po::variables_map& flags, const char* flag) { return flags[flag].as<std::string>(); }

unsigned number(const std::string& flag, const std::string& text, unsigned max, const std::string& what) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end || value > max)
        throw std::invalid_argument("--" + flag + ": '" + text + "' is not " + what);
    return value;
}

}  // namespace

void add_dialect_options(po::options_description& options) {
    options.add_options()
        ("dialect", po::value<std::string>()->value_name("NAME"),
         "emulate a server of the reference documents instead (docs/dialects.md): eventsource-lib (the Python "
         "event-source library's listener, port 8888), machbase-watch (a time-series database's /db/watch/{table} "
         "SSE API with its example table, port 5654), wakanda-push (a server-side push module at /eventsource, "
         "port 8081), ctrlx-datalayer (an industrial controller's data layer: bearer tokens for user boschrexroth, "
         "subscriptions at /automation/api/v2/events, HTTPS with a self-signed certificate, port 8443)")
        ("port", po::value<std::string>()->value_name("PORT"), "--dialect: port to listen on (0 = any free port)")
        ("keepalive", po::value<std::string>()->value_name("MS"),
         "--dialect eventsource-lib: a keep-alive comment every MS milliseconds (default 0: none), like -k")
        ("ids", "--dialect eventsource-lib: number events with id: N, allow the retry action, like -i")
        ("json", "--dialect eventsource-lib: pushed data must be JSON and is re-serialised, like -j")
        ("actions", po::value<std::string>()->value_name("A,B"),
         "--dialect eventsource-lib: the POST actions that push an event (default ping; close is built in)");
}

scenario::Scenario dialect_scenario(const std::string& name, const po::variables_map& flags) {
    const auto dialect = scenario::dialect_named(name);
    if (!dialect)
        throw std::invalid_argument("--dialect: unknown dialect '" + name +
                                    "' (known: eventsource-lib, machbase-watch, wakanda-push, ctrlx-datalayer)");
    if (*dialect != scenario::Dialect::eventsource_lib) {
        for (const char* flag : {"keepalive", "ids", "json", "actions"})
            if (flags.count(flag)) throw std::invalid_argument("--" + std::string(flag) + " is an eventsource-lib flag");
    }
    scenario::ProducerSpec producer;
    producer.name = name;
    producer.type = scenario::ProducerType::sse;
    producer.dialect = *dialect;
    // The originals' ports: eventsource-server's in the library's README, the database's in its examples.
    // ctrlX CORE Virtual forwards its HTTPS port to 8443.
    producer.port = *dialect == scenario::Dialect::eventsource_lib   ? 8888
                    : *dialect == scenario::Dialect::machbase_watch  ? 5654
                    : *dialect == scenario::Dialect::ctrlx_datalayer ? 8443
                                                                     : 8081;  // the platform's HTTP port
    scenario::apply_dialect_defaults(producer);
    if (flags.count("host")) {
        producer.host = text_of(flags, "host");
        if (producer.host.empty()) throw std::invalid_argument("--host: empty");
    }
    if (flags.count("port"))
        producer.port = static_cast<std::uint16_t>(
            number("port", text_of(flags, "port"), 65535, "a port number (0-65535; 0 picks a free port)"));
    auto& lib = producer.eventsource_lib;
    if (flags.count("keepalive")) {
        const auto ms = number("keepalive", text_of(flags, "keepalive"), 86'400'000, "milliseconds (0 to 86400000)");
        if (ms > 0) lib.keepalive = std::chrono::milliseconds(ms);
    }
    lib.ids = flags.count("ids") != 0;
    lib.json = flags.count("json") != 0;
    if (flags.count("actions")) {
        lib.actions.clear();
        const auto list = text_of(flags, "actions");
        for (std::size_t start = 0; start <= list.size();) {
            const auto comma = std::min(list.find(',', start), list.size());
            const auto action = list.substr(start, comma - start);
            if (const auto problem = scenario::eventsource_lib_action_problem(action); !problem.empty())
                throw std::invalid_argument("--actions: " + problem);
            lib.actions.push_back(action);
            start = comma + 1;
        }
    }
    scenario::Scenario s;
    s.source = "--dialect " + name;
    s.producers.push_back(std::move(producer));
    return s;
}

}  // namespace evsim::app
