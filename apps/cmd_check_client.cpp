// `evsim check client --adapter 'CMD {url}'`: the case suite played to an EventSource client through
// its adapter, one verdict per case, reports for people, tools and CI. See docs/conformance.md and
// docs/adapters.md.
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/program_options.hpp>
#include <thread>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "check_output.hpp"
#include "command.hpp"
#include "command_line.hpp"
#include "evsim/conformance/adapter.hpp"
#include "evsim/conformance/client_checks.hpp"
#include "evsim/net/stop_signals.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;
using conformance::CheckResult;
using conformance::Verdict;

po::options_description make_options() {
    po::options_description options("options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("adapter", po::value<std::string>()->value_name("CMD"),
         "the client under test: a shell command with {url} (and {events}, the event types to listen for) that "
         "prints one JSON line per observation (docs/adapters.md); 'evsim' is evsim's own client")
        ("browser", po::value<std::string>()->value_name("PATH"),
         "the client under test is a browser (a Chromium binary, run headless): evsim serves a page that opens "
         "the case's EventSources and posts what they do back; browser-only cases (six connections per host) "
         "run only this way")
        ("name", po::value<std::string>()->value_name("NAME"),
         "the client's name in reports (default: the adapter command, or the browser's version)")
        ("case", po::value<std::vector<std::string>>()->composing()->value_name("ID"),
         "run only this case (repeatable; a trailing * matches a prefix: --case 'parse.*')")
        ("cases", po::value<std::string>()->value_name("DIR"), "the case files (default: the suite evsim was built with)")
        ("expectations", po::value<std::string>()->value_name("FILE"),
         "known deviations of this client (YAML: known: {CASE: reason}); they are reported, not failed")
        ("list", "list the cases and exit")
        ("format", po::value<std::string>()->value_name("FORMAT"), "text (default), json or junit")
        ("output", po::value<std::string>()->value_name("FILE"), "write the report to FILE instead of stdout")
        ("json", po::value<std::string>()->value_name("FILE"),
         "also write the JSON report to FILE, whatever --format says (for evsim check matrix)")
        ("strict", "JUnit: NON-STRICT verdicts (SHOULDs not met) are failures too");
    return options;
}

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim check client (--adapter CMD | --browser PATH) [--case ID]... [--format text|json|junit]\n"
           "                          [--output FILE]\n\n"
           "Plays each case of the suite (a scripted server: statuses, headers, body bytes split across\n"
           "writes, delays, closes and resets) to the client under test and judges what its adapter\n"
           "reports and what the server saw on the wire (requests, Last-Event-ID, reconnection delays).\n"
           "Verdicts: PASS, NON-STRICT (a SHOULD not met), FAIL (a MUST not met), INFO.\n\n"
        << options
        << "\nexamples:\n"
           "  evsim check client --adapter evsim\n"
           "  evsim check client --adapter 'node adapters/eventsource.mjs {url} {events}' --expectations known.yaml\n"
           "  evsim check client --browser /usr/bin/chromium --format junit --output chromium.xml\n"
           "\nexit codes: 0 no MUST failed (beyond the expectations), 1 a MUST failed, 2 bad usage\n";
}

int usage_error(const std::string& message) { return app::usage_error("check client", message); }

std::string self_path() {
    std::error_code error;
    const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string("evsim") : path.string();
}

// "Chromium 156.0.8078.73" as the browser reports itself, or the path when it will not say.
std::string browser_name(const std::string& path) {
    const std::string command = "timeout 20 " + conformance::shell_quote(path) + " --version 2>/dev/null";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[256];
        while (out.size() < 1024 && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
        ::pclose(pipe);
    }
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
    return out.empty() || out.find('\n') != std::string::npos ? path : out;
}

bool selected(const std::string& id, const std::vector<std::string>& patterns) {
    if (patterns.empty()) return true;
    for (const auto& p : patterns) {
        if (!p.empty() && p.back() == '*' ? id.rfind(p.substr(0, p.size() - 1), 0) == 0 : id == p) return true;
    }
    return false;
}

// known: {CASE: reason}
std::map<std::string, std::string> read_expectations(const std::string& file) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(file);
    } catch (const YAML::Exception& e) {
        throw std::invalid_argument("--expectations: " + file + ": " + e.what());
    }
    std::map<std::string, std::string> known;
    if (!root.IsMap() || !root["known"] || !root["known"].IsMap())
        throw std::invalid_argument("--expectations: " + file + ": expected a mapping 'known: {CASE: reason}'");
    for (const auto& entry : root["known"]) known[entry.first.as<std::string>()] = entry.second.as<std::string>("");
    return known;
}

// A known deviation that shows is reported as INFO; one that no longer shows says so.
void apply_expectations(std::vector<CheckResult>& results, const std::map<std::string, std::string>& known) {
    for (auto& r : results) {
        const auto it = known.find(r.id);
        if (it == known.end()) continue;
        if (r.verdict == Verdict::fail || r.verdict == Verdict::non_strict) {
            r.observed = "known deviation (" + it->second + "): " + r.observed;
            r.verdict = Verdict::info;
        } else if (r.verdict == Verdict::pass) {
            r.verdict = Verdict::info;
            r.observed = "listed as a known deviation but passes now: remove it from the expectations; " + r.observed;
        }
    }
}

}  // namespace

int run_check_client(const std::vector<std::string>& args) {
    const auto description = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("check client", args, description,
                                      [&](std::ostream& out) { print_help(out, description); }, exit_code);
    if (!parsed) return exit_code;
    const auto& flags = parsed->flags;
    if (!parsed->positional.empty()) return usage_error("unexpected argument '" + parsed->positional.front() + "'");
    const std::string format = flags.count("format") ? flags["format"].as<std::string>() : "text";
    if (format != "text" && format != "json" && format != "junit")
        return usage_error("--format: expected text, json or junit, got '" + format + "'");

    std::string directory = flags.count("cases") ? flags["cases"].as<std::string>() : std::string(EVSIM_CASES_DIR);
    if (const char* env = std::getenv("EVSIM_CASES"); env && !flags.count("cases")) directory = env;
    std::vector<conformance::ClientCase> cases;
    try {
        cases = conformance::load_client_cases(directory);
    } catch (const conformance::CaseError& e) {
        return usage_error(e.what());
    }
    const auto patterns = flags.count("case") ? flags["case"].as<std::vector<std::string>>() : std::vector<std::string>{};
    std::erase_if(cases, [&](const auto& c) { return !selected(c.id, patterns); });
    if (cases.empty()) return usage_error("no case matches --case (try --list)");
    if (flags.count("list")) {
        for (const auto& c : cases)
            std::cout << c.id << "  [" << conformance::to_string(c.level) << "] " << c.title << "\n";
        return kExitOk;
    }
    if (flags.count("adapter") && flags.count("browser")) return usage_error("--adapter or --browser, not both");
    if (!flags.count("adapter") && !flags.count("browser"))
        return usage_error("which client? (--adapter 'CMD {url}', --adapter evsim or --browser PATH)");
    conformance::ClientRunOptions options;
    std::string target;
    if (flags.count("browser")) {
        options.browser = flags["browser"].as<std::string>();
        if (::access(options.browser.c_str(), X_OK) != 0)
            return usage_error("--browser: " + options.browser + " is not an executable file");
        target = browser_name(options.browser);
    }
    std::string adapter = flags.count("adapter") ? flags["adapter"].as<std::string>() : std::string();
    if (flags.count("adapter") && adapter.empty()) return usage_error("--adapter: the command is empty");
    if (adapter == "evsim") {
        adapter = conformance::shell_quote(self_path()) + " listen {url} -e {events} -q";
        target = "evsim listen";
    } else if (!adapter.empty() && adapter.find("{url}") == std::string::npos) {
        return usage_error("--adapter: the command needs {url} where the case's URL goes");
    } else if (!adapter.empty()) {
        target = adapter;
    }
    std::map<std::string, std::string> known;
    try {
        if (flags.count("expectations")) known = read_expectations(flags["expectations"].as<std::string>());
    } catch (const std::invalid_argument& e) {
        return usage_error(e.what());
    }

    options.adapter = adapter;
    if (flags.count("name")) target = flags["name"].as<std::string>();
    if (target.empty()) return usage_error("--name: empty");
    // SIGINT and SIGTERM end the running case (its adapter or browser is stopped, not left behind)
    // and the run; the report of the cases so far is still written.
    std::atomic<bool> cancelled{false};
    options.cancelled = &cancelled;
    boost::asio::io_context signal_io;
    net::StopSignals signals(signal_io, [&cancelled](int) { cancelled = true; });
    std::thread signal_thread([&signal_io] { signal_io.run(); });
    std::vector<CheckResult> results;
    for (const auto& c : cases) {
        if (cancelled) break;
        if (format == "text" && !flags.count("output") && ::isatty(2)) std::cerr << "  " << c.id << "\r" << std::flush;
        results.push_back(conformance::run_client_case(c, options));
    }
    signals.cancel();
    signal_io.stop();
    signal_thread.join();
    if (cancelled)
        std::cerr << "evsim check client: interrupted; " << results.size() << " of " << cases.size() << " cases run\n";
    apply_expectations(results, known);

    if (flags.count("json") &&
        !deliver_report(conformance::format_json(results, "client: " + target), flags["json"].as<std::string>()))
        return kExitFailed;
    const int verdict = write_check_report(results, {format, "client: " + target, "evsim check client " + target,
                                                     flags.count("strict") != 0,
                                                     flags.count("output") ? flags["output"].as<std::string>() : ""});
    return cancelled ? kExitFailed : verdict;  // an interrupted run proves nothing
}

}  // namespace evsim::app
