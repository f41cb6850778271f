// `evsim check matrix REPORT.json...`: the JSON reports of several `evsim check client` runs (one per
// client) as one HTML page, a row per case and a column per client.
#include <boost/program_options.hpp>
#include <iostream>

#include "check_output.hpp"
#include "command.hpp"
#include "command_line.hpp"
#include "evsim/conformance/check_matrix.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;

constexpr std::size_t kMaxReportBytes = 64U << 20U;

po::options_description make_options() {
    po::options_description options("options");
    options.add_options()
        ("help,h", "print this help and exit")
        ("output,o", po::value<std::string>()->value_name("FILE"), "write the page to FILE instead of stdout");
    return options;
}

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim check matrix REPORT.json... [--output FILE]\n\n"
           "Puts the JSON reports of several `evsim check client --format json` runs side by side: one\n"
           "self-contained HTML page with a row per case and a column per client (in the order given),\n"
           "each cell the verdict with the expected and observed text.\n\n"
        << options
        << "\nexample:\n"
           "  evsim check client --adapter evsim --format json --output evsim.json\n"
           "  evsim check client --browser /usr/bin/chromium --format json --output chromium.json\n"
           "  evsim check matrix evsim.json chromium.json --output clients.html\n"
           "\nexit codes: 0 written, 1 the page could not be written, 2 bad usage or a report that cannot be read\n";
}

int usage_error(const std::string& message) { return app::usage_error("check matrix", message); }

}  // namespace

int run_check_matrix(const std::vector<std::string>& args) {
    const auto description = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("check matrix", args, description,
                                      [&](std::ostream& out) { print_help(out, description); }, exit_code);
    if (!parsed) return exit_code;
    if (parsed->positional.empty()) return usage_error("which reports? (evsim check matrix A.json B.json ...)");
    std::vector<conformance::ClientReport> reports;
    try {
        for (const auto& path : parsed->positional)
            reports.push_back(conformance::parse_check_report(read_bounded_file(path, kMaxReportBytes), path));
    } catch (const std::invalid_argument& e) {  // the file
        return usage_error(e.what());
    } catch (const conformance::ReportError& e) {  // what is in it
        return usage_error(e.what());
    }
    const auto& flags = parsed->flags;
    const std::string file = flags.count("output") ? flags["output"].as<std::string>() : "";
    return deliver_report(conformance::format_matrix_html(reports), file) ? kExitOk : kExitFailed;
}

}  // namespace evsim::app
