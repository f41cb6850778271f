// `evsim publish`: the client of a running `evsim serve --control PORT`. Sends one event through a
// named producer, or prints the counters; scripts and tests use it to make an event happen now.
#include <boost/json.hpp>
#include <boost/program_options.hpp>
#include <cctype>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "command_line.hpp"
#include "control_client.hpp"
#include "evsim/core/percent_encoding.hpp"
#include "evsim/net/url.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr auto request_timeout = 5s;

po::options_description make_options() {
    po::options_description options("options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("control", po::value<std::string>()->value_name("URL"),
         "the control API, as 'evsim serve --control' printed it (http://127.0.0.1:PORT); required")
        ("event", po::value<std::string>()->value_name("NAME"), "event type (default: the producer's own)")
        ("json", "send DATA as a JSON value (an object, number, ...) rather than as text")
        ("stats", "print the counters of every producer as JSON instead of publishing")
        ("eventsource-lib", po::value<std::string>()->value_name("URL"),
         "push to an eventsource-lib server at URL (evsim serve --dialect eventsource-lib, or the Python "
         "library's own) like its eventsource-request tool: TOKEN ACTION [DATA]; no --control")
        ("fault", po::value<std::string>()->value_name("JSON"),
         "inject a fault into PRODUCER now instead of publishing, e.g. '{\"kind\":\"close\"}' or "
         "'{\"kind\":\"stall\",\"duration\":\"2s\"}' (kinds and parameters: docs/scenarios.md)");
    return options;
}

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim publish --control URL PRODUCER [--event NAME] [--json] DATA\n"
           "       evsim publish --eventsource-lib URL [--json] TOKEN ACTION [DATA]\n"
           "       evsim publish --control URL PRODUCER --fault JSON\n"
           "       evsim publish --control URL --stats\n\n"
           "Talks to the control API of a running 'evsim serve ... --control PORT': sends DATA now as\n"
           "one event of producer PRODUCER (stamped like its other events), injects a fault into it, or\n"
           "prints the counters.\n\n"
        << options
        << "\nexit codes: 0 done, 1 the control API could not be reached or answered an error (printed),\n"
           "2 bad usage\n";
}

int usage_error(const std::string& message) { return app::usage_error("publish", message); }

// The server's `{"error":"..."}` message, or its whole body when it is not that.
std::string error_message(const ControlAnswer& answer) {
    boost::system::error_code error;
    const auto body = json::parse(answer.body, error);
    if (!error && body.is_object()) {
        if (const auto* message = body.as_object().if_contains("error"); message && message->is_string()) {
            return std::string(message->as_string().data(), message->as_string().size());
        }
    }
    return answer.body;
}

// The http:// URL of `flag`; nullopt with `problem` set when it is not one.
std::optional<net::Endpoint> http_base(const po::variables_map& flags, const char* flag, std::string& problem) {
    const auto url = flags[flag].as<std::string>();
    try {
        auto base = net::parse_url(url);
        if (base.scheme == "http") return base;
        problem = "--" + std::string(flag) + ": '" + url + "' is not an http:// URL";
    } catch (const net::UrlError& e) {
        problem = "--" + std::string(flag) + ": " + e.what();
    }
    return std::nullopt;
}

// The URL's path without its trailing slashes: routes go below it (a proxy's prefix).
std::string path_prefix(const net::Endpoint& base) {
    std::string prefix = base.target.substr(0, base.target.find('?'));
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    return prefix;
}

// eventsource-request's job: POST DATA to /ACTION/TOKEN; the server's status decides the exit code.
int publish_eventsource_lib(const po::variables_map& flags, const std::vector<std::string>& arguments) {
    if (flags.count("control") || flags.count("stats") || flags.count("fault") || flags.count("event"))
        return usage_error("--eventsource-lib talks to the dialect server itself: no --control, --stats, --fault or --event");
    if (arguments.size() < 2 || arguments.size() > 3) return usage_error("--eventsource-lib expects TOKEN ACTION [DATA]");
    std::string problem;
    const auto base = http_base(flags, "eventsource-lib", problem);
    if (!base) return usage_error(problem);
    const std::string data = arguments.size() == 3 ? arguments[2] : std::string();
    if (flags.count("json")) {
        boost::system::error_code error;
        json::parse(data, error);
        if (error) return usage_error("--json: DATA is not valid JSON: " + error.message());
    }
    const auto target = path_prefix(*base) + "/" + percent::encode_segment(arguments[1]) + "/" + percent::encode_segment(arguments[0]);
    ControlAnswer answer;
    try {
        answer = control_request(*base, "POST", target, data, request_timeout);
    } catch (const ControlUnreachable& e) {
        std::cerr << "evsim publish: " << e.what() << "\n";
        return kExitFailed;
    }
    if (answer.status >= 300) {
        std::cerr << "evsim publish: " << arguments[1] << " " << arguments[0] << ": HTTP " << answer.status
                  << (answer.body.empty() ? "" : ": " + answer.body) << (answer.body.ends_with('\n') ? "" : "\n");
        return kExitFailed;
    }
    return kExitOk;
}

}  // namespace

int run_publish(const std::vector<std::string>& args) {
    const auto description = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("publish", args, description,
                                      [&](std::ostream& out) { print_help(out, description); }, exit_code);
    if (!parsed) return exit_code;
    const auto& line = *parsed;
    const auto& flags = line.flags;
    if (flags.count("eventsource-lib")) return publish_eventsource_lib(flags, line.positional);
    if (!flags.count("control")) return usage_error("--control URL is required (the URL 'evsim serve --control' printed)");
    std::string problem;
    const auto control = http_base(flags, "control", problem);
    if (!control) return usage_error(problem);
    const auto& base = *control;
    const auto& arguments = line.positional;

    std::string method = "GET";
    std::string target = "/stats";
    std::string body;
    std::string producer;
    if (flags.count("stats") && flags.count("fault")) return usage_error("--stats and --fault exclude each other");
    if (flags.count("fault")) {
        if (arguments.size() != 1) return usage_error("--fault expects PRODUCER and no DATA");
        if (flags.count("event") || flags.count("json")) return usage_error("--event and --json are for publishing, not --fault");
        boost::system::error_code error;
        const auto fault = json::parse(flags["fault"].as<std::string>(), error);
        if (error || !fault.is_object()) return usage_error("--fault: expected a JSON object like {\"kind\":\"close\"}");
        producer = arguments[0];
        method = "POST";
        target = "/producers/" + percent::encode_segment(producer) + "/faults";
        body = json::serialize(fault);
    } else if (flags.count("stats")) {
        if (!arguments.empty()) return usage_error("--stats takes no PRODUCER or DATA");
        if (flags.count("event") || flags.count("json")) return usage_error("--event and --json are for publishing, not --stats");
    } else {
        if (arguments.size() != 2) return usage_error("expected PRODUCER and DATA (or --stats)");
        producer = arguments[0];
        json::object request;
        if (flags.count("event")) request["event"] = flags["event"].as<std::string>();
        if (flags.count("json")) {
            boost::system::error_code error;
            request["data"] = json::parse(arguments[1], error);
            if (error) return usage_error("--json: DATA is not valid JSON: " + error.message());
        } else {
            request["data"] = arguments[1];
        }
        method = "POST";
        target = "/producers/" + percent::encode_segment(producer) + "/publish";
        body = json::serialize(request);
    }

    // The control URL may carry a path prefix (a proxy); routes go below it.
    const std::string prefix = path_prefix(base);
    ControlAnswer answer;
    try {
        answer = control_request(base, method, prefix + target, body, request_timeout);
    } catch (const ControlUnreachable& e) {
        std::cerr << "evsim publish: " << e.what() << "\n";
        return kExitFailed;
    }
    if (answer.status >= 300) {
        std::cerr << "evsim publish: " << (producer.empty() ? "" : producer + ": ") << "HTTP " << answer.status
                  << ": " << error_message(answer) << "\n";
        return kExitFailed;
    }
    std::cout << answer.body << (answer.body.ends_with('\n') ? "" : "\n") << std::flush;
    return kExitOk;
}

}  // namespace evsim::app
