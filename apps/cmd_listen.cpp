// evsim listen URL: the reference SSE client. Prints one JSON object per line for every observation
// and reconnects exactly as a browser's EventSource does.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/program_options.hpp>
#include <charconv>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "command.hpp"
#include "command_line.hpp"
#include "evsim/core/duration.hpp"
#include "evsim/loadgen/event_source_client.hpp"
#include "evsim/net/stop_signals.hpp"
#include "evsim/net/url.hpp"

namespace evsim::app {
namespace {
namespace po = boost::program_options;
namespace json = boost::json;
using namespace std::chrono_literals;

struct ListenSettings {
    loadgen::EventSourceOptions client;
    std::optional<std::uint64_t> max_events;
    std::optional<std::chrono::microseconds> timeout;
    std::optional<std::uint64_t> max_reconnects;
    std::set<std::string> event_types;  // empty: every type
    bool quiet = false;
};

// Prints observations and decides when listening is over.
class ListenPrinter : public loadgen::EventSourceObserver {
public:
    ListenPrinter(const ListenSettings& settings, std::function<void(int)> finish)
        : settings_(settings), finish_(std::move(finish)) {}

    void on_request(const std::string& url, const std::string& last_event_id) override {
        if (settings_.quiet) return;
        std::cerr << "evsim listen: GET " << url;
        if (!last_event_id.empty()) std::cerr << " (Last-Event-ID: " << last_event_id << ")";
        std::cerr << "\n";
    }
    void on_open() override { print({{"kind", "open"}}); }
    void on_message(const sse::Event& event) override {
        if (!settings_.event_types.empty() && !settings_.event_types.contains(std::string(event.type))) return;
        print({{"kind", "message"}, {"type", event.type}, {"data", event.data}, {"lastEventId", event.last_event_id}});
        if (settings_.max_events && ++events_ >= *settings_.max_events) finish_(kExitOk);
    }
    void on_error(loadgen::ReadyState state, const loadgen::ErrorInfo& info) override {
        print({{"kind", "error"}, {"readyState", static_cast<int>(state)}});
        if (!settings_.quiet) {
            std::cerr << "evsim listen: " << info.message
                      << (state == loadgen::ReadyState::closed ? " (connection failed, not reconnecting)"
                                                               : " (reconnecting)")
                      << "\n";
        }
        if (state == loadgen::ReadyState::closed) {
            // A 204 is the server's way of saying "stop": that ends listening as asked.
            finish_(info.kind == loadgen::ErrorInfo::Kind::status && info.status == 204 ? kExitOk : kExitFailed);
        } else if (settings_.max_reconnects && ++reconnects_ > *settings_.max_reconnects) {
            if (!settings_.quiet) std::cerr << "evsim listen: giving up after " << *settings_.max_reconnects << " reconnects\n";
            finish_(kExitFailed);
        }
    }

private:
    static void print(const json::object& line) { std::cout << json::serialize(line) << std::endl; }

    const ListenSettings& settings_;
    std::function<void(int)> finish_;
    std::uint64_t events_ = 0;
    std::uint64_t reconnects_ = 0;
};

// A whole number >= `minimum`. Program_options would read "-1" into an unsigned as its maximum.
std::uint64_t parse_count(const std::string& flag, const std::string& text, std::uint64_t minimum) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end || value < minimum) {
        throw po::error("--" + flag + " expects a whole number >= " + std::to_string(minimum) + ", got '" + text + "'");
    }
    return value;
}

void print_help(const po::options_description& options) {
    std::cout << "usage: evsim listen [options] URL\n\n"
                 "Connects to an SSE endpoint (http or https) and prints one JSON object per line:\n"
                 "  {\"kind\":\"open\"}\n"
                 "  {\"kind\":\"message\",\"type\":...,\"data\":...,\"lastEventId\":...}\n"
                 "  {\"kind\":\"error\",\"readyState\":0|2}   (0: will reconnect, 2: failed for good)\n"
                 "It reconnects as a browser's EventSource does: after the reconnection time (which the\n"
                 "stream's `retry` changes), with Last-Event-ID; it stops on a non-200 status or a\n"
                 "Content-Type other than text/event-stream.\n\n"
              << options
              << "\nexit codes: 0 stopped as asked (--max-events, --timeout, a 204 response, SIGINT/SIGTERM),\n"
                 "            1 the connection failed or --max-reconnects was exceeded, 2 bad usage\n";
}

}  // namespace

int run_listen(const std::vector<std::string>& args) {
    po::options_description options("options");
    options.add_options()
        ("help,h", "show this help")
        ("max-events,n", po::value<std::string>(), "stop after printing N messages (N >= 1)")
        ("timeout,t", po::value<std::string>(), "stop after this long (e.g. 30s, 500ms)")
        ("header,H", po::value<std::vector<std::string>>()->composing(), "extra request header 'Name: value' (repeatable)")
        ("event,e", po::value<std::vector<std::string>>()->composing(),
         "print only messages of this event type (repeatable, or comma-separated: -e a,b), as "
         "addEventListener(type) would")
        ("last-event-id", po::value<std::string>(), "send this Last-Event-ID on the first request")
        ("reconnection-time", po::value<std::string>()->default_value("3s"),
         "reconnection time until the stream sends `retry`")
        ("connect-timeout", po::value<std::string>()->default_value("10s"), "limit for connect, TLS and response head")
        ("max-reconnects", po::value<std::string>(), "give up (exit 1) after N reconnects; default: never")
        ("max-line-bytes", po::value<std::string>()->default_value("1048576"), "fail on a longer line (>= 1)")
        ("insecure,k", "do not verify the server's TLS certificate")
        ("ca-file", po::value<std::string>(), "PEM file with extra trusted certificates")
        ("quiet,q", "no diagnostics on stderr (JSON lines still go to stdout)");
    po::options_description hidden;
    hidden.add_options()("url", po::value<std::string>());
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("url", 1);

    ListenSettings settings;
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            print_help(options);
            return kExitOk;
        }
        if (!vm.count("url")) throw po::error("missing URL");
        settings.client.url = vm["url"].as<std::string>();
        net::parse_url(settings.client.url);  // clear error before anything starts
        if (vm.count("max-events")) settings.max_events = parse_count("max-events", vm["max-events"].as<std::string>(), 1);
        if (vm.count("timeout")) settings.timeout = parse_duration(vm["timeout"].as<std::string>(), BareUnit::seconds);
        if (vm.count("max-reconnects")) {
            settings.max_reconnects = parse_count("max-reconnects", vm["max-reconnects"].as<std::string>(), 0);
        }
        if (vm.count("header")) {
            for (const auto& h : vm["header"].as<std::vector<std::string>>()) settings.client.headers.push_back(parse_header(h));
        }
        if (vm.count("event")) {
            for (const auto& list : vm["event"].as<std::vector<std::string>>()) {
                for (std::size_t start = 0; start <= list.size();) {
                    const auto comma = std::min(list.find(',', start), list.size());
                    if (comma > start) settings.event_types.insert(list.substr(start, comma - start));
                    start = comma + 1;
                }
            }
        }
        if (vm.count("last-event-id")) {
            settings.client.last_event_id = vm["last-event-id"].as<std::string>();
            // What a stream's id field can never hold, and what would split the request header.
            if (settings.client.last_event_id.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
                throw po::error("--last-event-id must not contain CR, LF or NUL");
            }
        }
        settings.client.reconnection_time = std::chrono::duration_cast<std::chrono::milliseconds>(
            parse_duration(vm["reconnection-time"].as<std::string>(), BareUnit::milliseconds));
        settings.client.connect_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            parse_duration(vm["connect-timeout"].as<std::string>(), BareUnit::seconds));
        settings.client.limits.max_line_bytes = parse_count("max-line-bytes", vm["max-line-bytes"].as<std::string>(), 1);
        settings.client.tls.verify_peer = vm.count("insecure") == 0;
        if (vm.count("ca-file")) settings.client.tls.ca_file = vm["ca-file"].as<std::string>();
        settings.quiet = vm.count("quiet") != 0;
    } catch (const std::exception& e) {
        std::cerr << "evsim listen: " << e.what() << "\n(see 'evsim listen --help')\n";
        return kExitUsage;
    }

    boost::asio::io_context io;
    std::optional<int> exit_code;
    loadgen::EventSourceClient* client_ptr = nullptr;
    boost::asio::steady_timer deadline(io);
    std::optional<net::StopSignals> signals;
    const auto finish = [&](int code) {
        if (exit_code) return;
        exit_code = code;
        if (client_ptr != nullptr) client_ptr->close();
        deadline.cancel();
        if (signals) signals->cancel();
    };
    ListenPrinter printer(settings, finish);
    std::unique_ptr<loadgen::EventSourceClient> client_owner;
    try {
        client_owner = std::make_unique<loadgen::EventSourceClient>(io.get_executor(), settings.client, printer);
    } catch (const std::exception& e) {  // for example an unreadable --ca-file
        std::cerr << "evsim listen: " << e.what() << "\n";
        return kExitUsage;
    }
    loadgen::EventSourceClient& client = *client_owner;
    client_ptr = &client;
    signals.emplace(io, [&](int) { finish(kExitOk); });
    if (settings.timeout) {
        deadline.expires_after(*settings.timeout);
        deadline.async_wait([&](const boost::system::error_code& ec) {
            if (!ec) finish(kExitOk);
        });
    }
    client.start();
    io.run();
    return exit_code.value_or(kExitOk);
}

}  // namespace evsim::app
