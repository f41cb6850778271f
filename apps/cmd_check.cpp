// `evsim check server URL`: a live endpoint checked against what clients need of it, with a verdict
// per check and reports for people (text), tools (JSON) and CI (JUnit XML). See docs/conformance.md.
#include <boost/program_options.hpp>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "check_output.hpp"
#include "command.hpp"
#include "command_line.hpp"
#include "evsim/conformance/server_checks.hpp"
#include "evsim/net/http_exchange.hpp"
#include "evsim/net/url.hpp"
#include "evsim/producers/interval.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;

po::options_description make_options() {
    po::options_description options("options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("type", po::value<std::string>()->value_name("TYPE"),
         "what the endpoint serves: sse (the default for http:// and https://), fetch (a polled value) or ws "
         "(the default for ws:// and wss://) or file (a FILE source: file:///path or /path, read over and over)")
        ("observe", po::value<std::string>()->value_name("TIME"),
         "how long to read the stream (default 3s; keep-alive cadence is judged when longer than --keepalive)")
        ("timeout", po::value<std::string>()->value_name("TIME"), "connect, TLS and response head limit (default 10s)")
        ("keepalive", po::value<std::string>()->value_name("TIME"),
         "SSE: the longest silence allowed before sse.keepalive is NON-STRICT (default 15s, as the standard "
         "suggests; judged when --observe is longer)")
        ("origin", po::value<std::string>()->value_name("ORIGIN"),
         "sent as Origin for the CORS check (default http://localhost)")
        ("header,H", po::value<std::vector<std::string>>()->composing()->value_name("'NAME: VALUE'"),
         "an extra request header, say an Authorization (repeatable)")
        ("format", po::value<std::string>()->value_name("FORMAT"), "text (default), json or junit")
        ("output", po::value<std::string>()->value_name("FILE"), "write the report to FILE instead of stdout")
        ("strict", "JUnit: NON-STRICT verdicts (SHOULDs not met) are failures too")
        ("insecure,k", "do not verify the server's TLS certificate");
    return options;
}

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim check server URL [--type sse|fetch|ws|file] [--observe TIME] [--format text|json|junit] [--output FILE]\n\n"
           "Connects to URL as a browser would (EventSource, fetch or WebSocket), reads what it sends for\n"
           "--observe and reports one verdict per check: PASS, NON-STRICT (a SHOULD not met), FAIL (a MUST\n"
           "not met) or INFO, each with the spec clause it rests on (docs/conformance.md). For SSE it also\n"
           "sends a CORS preflight and reconnects once with the last event ID it saw (sse.resume).\n\n"
        << options
        << "\nalso:\n"
           "  evsim check client (--adapter CMD | --browser PATH)   an EventSource client against the case suite\n"
           "  evsim check matrix REPORT.json...                     several clients' reports side by side (HTML)\n"
           "\nexit codes: 0 no MUST failed, 1 a MUST failed or the server could not be reached, 2 bad usage\n";
}

int usage_error(const std::string& message) { return app::usage_error("check", message); }

}  // namespace

int run_check(const std::vector<std::string>& args) {
    if (!args.empty() && args.front() == "client") return run_check_client({args.begin() + 1, args.end()});
    if (!args.empty() && args.front() == "matrix") return run_check_matrix({args.begin() + 1, args.end()});
    const auto description = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("check", args, description,
                                      [&](std::ostream& out) { print_help(out, description); }, exit_code);
    if (!parsed) return exit_code;
    const auto& flags = parsed->flags;
    const auto& positional = parsed->positional;
    if (positional.empty()) return usage_error("what to check? (evsim check server URL, evsim check client --adapter CMD)");
    if (positional[0] != "server")
        return usage_error("unknown subcommand '" + positional[0] +
                           "' (evsim check server URL, evsim check client, evsim check matrix)");
    if (positional.size() < 2) return usage_error("which URL? (evsim check server URL)");
    if (positional.size() > 2) return usage_error("unexpected argument '" + positional[2] + "'");
    const std::string& url = positional[1];

    conformance::ServerCheckOptions options;
    std::string format = "text";
    try {
        if (flags.count("observe")) options.observe = producers::parse_interval(flags["observe"].as<std::string>());
        if (flags.count("timeout")) options.timeout = producers::parse_interval(flags["timeout"].as<std::string>());
        if (flags.count("keepalive"))
            options.keepalive = producers::parse_interval(flags["keepalive"].as<std::string>());
    } catch (const std::invalid_argument& e) {
        return usage_error(e.what());
    }
    if (flags.count("origin")) options.origin = flags["origin"].as<std::string>();
    try {
        if (flags.count("header"))
            for (const auto& h : flags["header"].as<std::vector<std::string>>()) options.headers.push_back(parse_header(h));
    } catch (const po::error& e) {
        return usage_error(e.what());
    }
    if (flags.count("format")) format = flags["format"].as<std::string>();
    if (format != "text" && format != "json" && format != "junit")
        return usage_error("--format: expected text, json or junit, got '" + format + "'");
    // ws:// and wss:// say what they are; an http(s) URL is an event stream unless told otherwise.
    const bool ws_url = url.rfind("ws://", 0) == 0 || url.rfind("wss://", 0) == 0;
    const bool file_url = url.rfind("file://", 0) == 0 || url.rfind('/', 0) == 0;
    const std::string type = flags.count("type") ? flags["type"].as<std::string>()
                             : ws_url             ? "ws"
                             : file_url           ? "file"
                                                  : "sse";
    if (type != "sse" && type != "fetch" && type != "ws" && type != "file")
        return usage_error("--type: expected sse, fetch, ws or file, got '" + type + "'");
    options.tls.verify_peer = flags.count("insecure") == 0;

    std::vector<conformance::CheckResult> results;
    try {
        results = type == "file"  ? conformance::check_file_source(url.rfind("file://", 0) == 0 ? url.substr(7) : url,
                                                                   options)
                  : type == "fetch" ? conformance::check_fetch_server(url, options)
                  : type == "ws"  ? conformance::check_ws_server(url, options)
                                  : conformance::check_sse_server(url, options);
    } catch (const net::UrlError& e) {
        return usage_error(std::string("URL: ") + e.what());
    } catch (const net::HttpExchangeError& e) {
        std::cerr << "evsim check: cannot " << e.stage() << " " << url << ": " << e.reason() << "\n";
        return kExitFailed;
    }
    return write_check_report(results, {format, url, "evsim check server " + url, flags.count("strict") != 0,
                                        flags.count("output") ? flags["output"].as<std::string>() : ""});
}

}  // namespace evsim::app
