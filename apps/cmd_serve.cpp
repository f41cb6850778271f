// `evsim serve`: the dashboard documentation's four reference emitters (fetch.py, sse.py, ws.py,
// file.py) in one process, with their defaults and wire output. See docs/producers.md.
#include <boost/asio/io_context.hpp>
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "command.hpp"
#include "command_line.hpp"
#include "serve_dialect.hpp"
#include "serve_scenario.hpp"
#include "evsim/net/stop_signals.hpp"
#include "evsim/net/tls.hpp"
#include "evsim/producers/control_api.hpp"
#include "evsim/producers/interval.hpp"
#include "evsim/producers/io_pool.hpp"
#include "evsim/producers/reference_emitters.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;
namespace producers = evsim::producers;

// A flag value that cannot be used: reported with exit code 2.
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

po::options_description make_options() {
    po::options_description options("options");
    // Values are read as strings and checked here, so every mistake gets a message naming the flag.
    options.add_options()
        ("help,h", "print this help and exit")
        ("host", po::value<std::string>()->value_name("ADDR"),
         "address or name to bind every server to (default 127.0.0.1; 0.0.0.0 for all interfaces)")
        ("fetch-port", po::value<std::string>()->value_name("PORT"), "fetch server port (default 8080; 0 = any free port)")
        ("sse-port", po::value<std::string>()->value_name("PORT"), "SSE server port (default 8081; 0 = any free port)")
        ("ws-port", po::value<std::string>()->value_name("PORT"), "WebSocket server port (default 8082; 0 = any free port)")
        ("fetch-path", po::value<std::string>()->value_name("PATH"), "serve fetch only at PATH (default: any path)")
        ("sse-path", po::value<std::string>()->value_name("PATH"), "serve SSE only at PATH (default: any path)")
        ("ws-path", po::value<std::string>()->value_name("PATH"), "serve WebSocket only at PATH (default: any path)")
        ("interval", po::value<std::string>()->value_name("TIME"),
         "time between pushed values: 3s, 500ms, 1.5s, 2m or plain milliseconds (default 3s)")
        ("file-path", po::value<std::string>()->value_name("FILE"),
         "file the FILE emitter replaces every interval (default: data.tmp in the temp directory)")
        ("seed", po::value<std::string>()->value_name("N"), "seed for reproducible values (default: random)")
        ("dashboard", po::value<std::string>()->value_name("CONFIG_JS"),
         "serve what the dashboard's config.js (its sys_eventProviders registry) reads from this machine, "
         "after a table of what is served and skipped (docs/dashboard-config.md)")
        ("control", po::value<std::string>()->value_name("PORT"),
         "also serve the control API (health, stats, publish: see 'evsim publish') on 127.0.0.1:PORT "
         "(0 = any free port; default: no control API)")
        ("tls", "serve https:// and wss:// instead of http:// and ws:// (every producer), with a self-signed "
                "certificate for localhost and 127.0.0.1 made at start unless --tls-cert and --tls-key are given")
        ("tls-cert", po::value<std::string>()->value_name("PEM"),
         "TLS certificate chain (PEM, leaf first), with --tls-key; implies --tls for the reference emitters, "
         "replaces a scenario's tls files")
        ("tls-key", po::value<std::string>()->value_name("PEM"), "private key of --tls-cert (PEM)")
        ("header-timeout", po::value<std::string>()->value_name("TIME"),
         "time a client has to complete its request (and TLS handshake), and the longest a keep-alive "
         "connection may sit idle between requests (default 10s)")
        ("idle-timeout", po::value<std::string>()->value_name("TIME"),
         "WebSocket: drop a client that sends nothing (not even a pong) for this long; a ping goes out at "
         "half of it (default 60s)")
        ("threads", po::value<std::string>()->value_name("N"),
         "threads serving connections, one event loop each (default: one per core; 1 runs everything on "
         "one thread)")
        ("no-fetch", "do not start the fetch server")
        ("no-sse", "do not start the SSE server")
        ("no-ws", "do not start the WebSocket server")
        ("no-file", "do not write the file");
    add_dialect_options(options);
    return options;
}

// Flags that configure the reference emitters and mean nothing to a scenario.
constexpr const char* reference_only_flags[] = {"host",     "fetch-port", "sse-port", "ws-port", "fetch-path",
                                                "sse-path", "ws-path",    "interval", "file-path", "no-fetch",
                                                "no-sse",   "no-ws",      "no-file"};

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim serve [options]\n"
           "       evsim serve SCENARIO.yaml [--seed N] [--control PORT] [--tls] [--tls-cert PEM --tls-key PEM]\n"
           "       evsim serve --dashboard config.js [--seed N] [--control PORT] [--tls-cert PEM --tls-key PEM]\n"
           "       evsim serve --dialect NAME [--host ADDR] [--port PORT] [dialect flags] [--control PORT]\n\n"
           "With a scenario, runs the producers it describes (docs/scenarios.md) and prints a table of\n"
           "their URLs. Without one, runs the dashboard's four reference event sources, as the sample\n"
           "scripts do:\n"
           "  fetch  http://127.0.0.1:8080  GET answers a value 10..98 as text/plain\n"
           "  sse    http://127.0.0.1:8081  event: temperature_sse / data: NN, on connect and every 3 s\n"
           "  ws     ws://127.0.0.1:8082    a text message NN, on connect and every 3 s\n"
           "  file   <temp>/data.tmp        event=\"temperature_file\";data=NN, replaced every 3 s\n"
           "SIGINT or SIGTERM stops them: connections are closed and the command exits 0.\n\n"
        << options
        << "\nexit codes: 0 stopped by a signal, 1 a port could not be bound or a file written, 2 bad usage\n"
           "or a mistake in the scenario (reported as FILE:LINE:COLUMN: what is wrong)\n";
}

std::uint16_t parse_port(const std::string& flag, const std::string& text) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end || value > 65535) {
        throw UsageError("--" + flag + ": '" + text + "' is not a port number (0-65535; 0 picks a free port)");
    }
    return static_cast<std::uint16_t>(value);
}

std::optional<std::string> parse_path(const std::string& flag, const std::string& text) {
    if (text.empty() || text.front() != '/') throw UsageError("--" + flag + ": '" + text + "' must start with '/'");
    return text;
}

std::uint64_t parse_seed(const std::string& text) {
    std::uint64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end) {
        throw UsageError("--seed: '" + text + "' is not a whole number from 0 to 18446744073709551615");
    }
    return value;
}

// --header-timeout / --idle-timeout: a time like --interval's.
std::optional<std::chrono::milliseconds> timeout_from(const po::variables_map& flags, const char* flag) {
    if (!flags.count(flag)) return std::nullopt;
    try {
        return producers::parse_interval(flags[flag].as<std::string>());
    } catch (const std::invalid_argument& e) {
        throw UsageError("--" + std::string(flag) + ": " + e.what());
    }
}

// --threads N: N-1 workers besides the main thread, which runs the producers.
std::size_t workers_from(const po::variables_map& flags) {
    if (!flags.count("threads")) return producers::IoPool::default_workers();
    const auto text = flags["threads"].as<std::string>();
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end || value < 1 || value > 256) {
        throw UsageError("--threads: '" + text + "' is not a thread count from 1 to 256");
    }
    return value - 1;
}

// --tls-cert and --tls-key come together or not at all.
std::optional<scenario::TlsFiles> tls_files_from(const po::variables_map& flags) {
    const bool cert = flags.count("tls-cert") != 0;
    const bool key = flags.count("tls-key") != 0;
    if (cert != key) throw UsageError(cert ? "--tls-cert needs --tls-key" : "--tls-key needs --tls-cert");
    if (!cert) return std::nullopt;
    return scenario::TlsFiles{flags["tls-cert"].as<std::string>(), flags["tls-key"].as<std::string>()};
}

producers::ReferenceOptions options_from(const po::variables_map& flags) {
    producers::ReferenceOptions options;
    const auto text = [&](const char* flag) -> std::optional<std::string> {
        if (!flags.count(flag)) return std::nullopt;
        return flags[flag].as<std::string>();
    };
    if (auto host = text("host")) {
        if (host->empty()) throw UsageError("--host: empty");
        options.host = *host;
    }
    if (auto port = text("fetch-port")) options.fetch.port = parse_port("fetch-port", *port);
    if (auto port = text("sse-port")) options.sse.port = parse_port("sse-port", *port);
    if (auto port = text("ws-port")) options.ws.port = parse_port("ws-port", *port);
    if (auto path = text("fetch-path")) options.fetch.path = parse_path("fetch-path", *path);
    if (auto path = text("sse-path")) options.sse.path = parse_path("sse-path", *path);
    if (auto path = text("ws-path")) options.ws.path = parse_path("ws-path", *path);
    if (auto interval = text("interval")) {
        try {
            options.interval = producers::parse_interval(*interval);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--interval: ") + e.what());
        }
    }
    if (auto file = text("file-path")) {
        if (file->empty()) throw UsageError("--file-path: empty");
        options.file.path = *file;
    }
    if (auto seed = text("seed")) options.seed = parse_seed(*seed);
    options.fetch.enabled = !flags.count("no-fetch");
    options.sse.enabled = !flags.count("no-sse");
    options.ws.enabled = !flags.count("no-ws");
    options.file.enabled = !flags.count("no-file");
    if (const auto files = tls_files_from(flags)) {
        try {
            options.tls_context = std::make_shared<boost::asio::ssl::context>(
                net::make_server_tls_context_from_files(files->certificate, files->key));
        } catch (const net::TlsError& e) {
            throw UsageError(e.what());
        }
    }
    options.tls = flags.count("tls") != 0 || options.tls_context;
    options.workers = workers_from(flags);
    if (const auto header = timeout_from(flags, "header-timeout")) options.http.header_timeout = *header;
    if (const auto idle = timeout_from(flags, "idle-timeout")) options.ws.session.idle_timeout = *idle;
    return options;
}

// What the command line adds to a scenario, a dashboard's or a dialect's. Throws UsageError.
ServeSettings settings_from(const po::variables_map& flags) {
    ServeSettings settings;
    if (flags.count("seed")) settings.seed = parse_seed(flags["seed"].as<std::string>());
    if (flags.count("control")) settings.control_port = parse_port("control", flags["control"].as<std::string>());
    settings.tls_files = tls_files_from(flags);
    settings.workers = workers_from(flags);
    settings.timeouts.header = timeout_from(flags, "header-timeout");
    settings.timeouts.idle = timeout_from(flags, "idle-timeout");
    settings.tls_everywhere = flags.count("tls") != 0;
    return settings;
}

void print_banner(const producers::ReferenceEmitters& emitters) {
    // The samples' wording, one block per emitter, with the address actually bound.
    for (const auto& url : emitters.urls()) {
        std::cout << (url.kind == producers::EmitterUrl::Kind::file ? "Start writing to file.\n" : "Server started.\n")
                  << "URL: " << url.url << "\n";
    }
    std::cout << std::flush;  // scripts wait for these lines to learn the ports
}

int usage_error(const std::string& message) { return app::usage_error("serve", message); }

}  // namespace

int run_serve(const std::vector<std::string>& args) {
    const auto description = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("serve", args, description,
                                      [&](std::ostream& out) { print_help(out, description); }, exit_code);
    if (!parsed) return exit_code;
    const auto& line = *parsed;
    const auto& flags = line.flags;
    const bool dashboard = flags.count("dashboard") != 0;
    const bool dialect = flags.count("dialect") != 0;
    if (!dialect) {
        for (const char* flag : dialect_only_flags)
            if (flags.count(flag)) return usage_error("--" + std::string(flag) + " configures a --dialect server");
    }
    if (dialect) {
        if (!line.positional.empty() || dashboard)
            return usage_error("--dialect runs one emulated server: no scenario or --dashboard with it");
        for (const char* flag : reference_only_flags) {
            if (std::string_view(flag) != "host" && flags.count(flag))
                return usage_error("--" + std::string(flag) + " configures the reference emitters, not a --dialect server");
        }
        if (flags.count("idle-timeout")) return usage_error("--idle-timeout is for WebSocket servers, not a --dialect server");
        ServeSettings settings;
        scenario::Scenario emulated;
        try {
            emulated = dialect_scenario(flags["dialect"].as<std::string>(), flags);
            settings = settings_from(flags);
        } catch (const std::invalid_argument& e) {
            return usage_error(e.what());
        }
        settings.tls_everywhere = settings.tls_everywhere || settings.tls_files.has_value();
        return run_scenario(std::move(emulated), settings);
    }
    if (!line.positional.empty() || dashboard) {
        const auto& files = line.positional;
        if (dashboard && !files.empty())
            return usage_error("unexpected argument '" + files[0] + "': --dashboard and a scenario exclude each other");
        if (files.size() > 1) return usage_error("unexpected argument '" + files[1] + "': serve runs one scenario");
        for (const char* flag : reference_only_flags) {
            if (flags.count(flag)) return usage_error("--" + std::string(flag) + " configures the reference emitters; " +
                                                      (dashboard ? "with --dashboard, config.js says where to listen"
                                                                 : "a scenario sets this in its YAML"));
        }
        ServeSettings settings;
        try {
            settings = settings_from(flags);
        } catch (const UsageError& e) {
            return usage_error(e.what());
        }
        if (dashboard && settings.tls_everywhere)
            return usage_error("--tls: with --dashboard, each entry's URL (https://, wss://) says whether it uses TLS");
        if (dashboard) return serve_dashboard(flags["dashboard"].as<std::string>(), settings);
        return serve_scenario(files.front(), settings);
    }

    boost::asio::io_context io;
    std::optional<producers::ReferenceEmitters> emitters;
    std::optional<producers::ControlApi> control;  // declared after the emitters: destroyed before them
    try {
        emitters.emplace(io, options_from(flags));
        if (flags.count("control")) {
            producers::ControlApiOptions control_options;
            control_options.port = parse_port("control", flags["control"].as<std::string>());
            control.emplace(io, emitters->producers(), control_options);
        }
    } catch (const producers::BindError& e) {
        std::cerr << "evsim serve: " << e.what() << "\n";
        return kExitFailed;
    } catch (const std::invalid_argument& e) {  // UsageError and the library's own option checks
        return usage_error(e.what());
    }
    try {
        emitters->start();
    } catch (const std::exception& e) {  // the file cannot be written
        std::cerr << "evsim serve: " << e.what() << "\n";
        return kExitFailed;
    }
    print_banner(*emitters);
    if (emitters->self_signed_tls()) std::cout << self_signed_note << "\n" << std::flush;
    if (control) {
        control->start();
        std::cout << "Control API: " << control->url() << "\n" << std::flush;
    }

    net::StopSignals signals(io, [&emitters, &control](int) {
        if (control) control->stop();
        emitters->stop();
    });
    io.run();  // returns once stop() has closed everything
    std::cout << "Server ended.\n" << std::flush;
    return kExitOk;
}

}  // namespace evsim::app
