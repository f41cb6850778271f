// `evsim report`: what can be done with results files after a run. `merge` adds the results of
// the shards of one run (histograms add exactly) and judges the thresholds on the whole; `show`
// renders one results file again (summary, JUnit, HTML). See docs/load.md.
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "command.hpp"
#include "command_line.hpp"
#include "load_session.hpp"
#include "evsim/core/threshold.hpp"
#include "evsim/loadgen/results.hpp"

namespace evsim::app {

namespace {

namespace po = boost::program_options;

constexpr std::size_t kMaxResultsBytes = 64 * 1024 * 1024;

po::options_description make_options() {
    po::options_description options("options");
    options.add_options()("help,h", "print this help and exit")(
        "partial", "merge: accept a subset of the shards (the thresholds are then judged on that subset)");
    add_output_options(options);
    return options;
}

void print_help(std::ostream& out, const po::options_description& options) {
    out << "usage: evsim report merge RESULTS.json... [--out merged.json] [--junit FILE] [--html FILE]\n"
           "       evsim report show RESULTS.json [--junit FILE] [--html FILE]\n\n"
           "merge: adds the results of the shards of one run (evsim load/run --shard I/N --out ...):\n"
           "counters and histograms add exactly, peaks and the series add, and the thresholds are\n"
           "judged again on the whole. Every shard 0..N-1 must be there once, unless --partial.\n"
           "show: prints a results file's summary and writes the other forms.\n\n"
        << options << "\nexit codes: 0 every threshold passed, 1 a threshold failed, 2 bad usage or an unreadable file\n";
}

loadgen::Results read_results(const std::string& path) {
    const std::string text = read_bounded_file(path, kMaxResultsBytes);
    try {
        return loadgen::results_from_json(text);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(path + ": " + e.what());
    }
}

std::vector<std::string> threshold_texts(const loadgen::Results& r) {
    std::vector<std::string> texts;
    for (const auto& t : r.thresholds) texts.push_back(t.text);
    return texts;
}

// The shards of one run, merged; throws std::invalid_argument saying what does not fit.
loadgen::Results merge_shards(const std::vector<std::string>& paths, bool partial) {
    loadgen::Results merged;
    std::set<std::size_t> seen;
    std::size_t count = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        loadgen::Results shard = read_results(paths[i]);
        if (i == 0) {
            count = shard.shard_count;
            merged.scenario = shard.scenario;
            merged.shard_count = count;
            merged.thresholds = shard.thresholds;
        } else {
            if (shard.scenario != merged.scenario)
                throw std::invalid_argument(paths[i] + ": a run of '" + shard.scenario + "', not '" + merged.scenario + "'");
            if (shard.shard_count != count)
                throw std::invalid_argument(paths[i] + ": one of " + std::to_string(shard.shard_count) +
                                            " shards, not " + std::to_string(count));
            if (threshold_texts(shard) != threshold_texts(merged))
                throw std::invalid_argument(paths[i] + ": other thresholds than " + paths[0]);
        }
        if (shard.shard_index >= count)
            throw std::invalid_argument(paths[i] + ": shard index " + std::to_string(shard.shard_index) +
                                        " is not below the count " + std::to_string(count));
        if (!seen.insert(shard.shard_index).second)
            throw std::invalid_argument(paths[i] + ": shard " + std::to_string(shard.shard_index) + " is there twice");
        loadgen::merge_results(merged, shard);
    }
    if (!partial && seen.size() != count) {
        for (std::size_t i = 0; i < count; ++i) {
            if (!seen.count(i))
                throw std::invalid_argument("shard " + std::to_string(i) + " of " + std::to_string(count) +
                                            " is missing (--partial merges what is there)");
        }
    }
    merged.shard_index = 0;
    merged.shard_count = 1;
    loadgen::reevaluate_thresholds(merged);
    return merged;
}

}  // namespace

int run_report(const std::vector<std::string>& args) {
    const auto options = make_options();
    int exit_code = kExitOk;
    const auto parsed = parse_or_exit("report", args, options,
                                      [&options](std::ostream& out) { print_help(out, options); }, exit_code);
    if (!parsed) return exit_code;
    const auto& positional = parsed->positional;
    if (positional.empty()) return usage_error("report", "expected 'merge' or 'show'");
    const std::vector<std::string> files(positional.begin() + 1, positional.end());
    loadgen::Results results;
    try {
        if (positional[0] == "merge") {
            if (files.empty()) return usage_error("report", "merge: expected results files");
            results = merge_shards(files, parsed->flags.count("partial") != 0);
        } else if (positional[0] == "show") {
            if (files.size() != 1) return usage_error("report", "show: expected one results file");
            results = read_results(files.front());
        } else {
            return usage_error("report", "unknown subcommand '" + positional[0] + "' (merge or show)");
        }
    } catch (const std::invalid_argument& e) {
        std::cerr << "evsim report: " << e.what() << "\n";
        return kExitUsage;
    }
    return report_results(results, output_files_from(parsed->flags), "report");
}

}  // namespace evsim::app
