// What `evsim load` and `evsim run` share: the options that shape a load run and its outputs, and
// playing a scenario's load section against producers that are already listening.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "evsim/core/scenario.hpp"
#include "evsim/loadgen/results.hpp"

namespace evsim::app {

// Where the results go besides the summary on stdout.
struct OutputFiles {
    std::optional<std::string> json;   // --out FILE: the results JSON
    std::optional<std::string> junit;  // --junit FILE
    std::optional<std::string> html;   // --html FILE
};

struct LoadSettings {
    OutputFiles outputs;
    std::size_t threads = 0;               // --threads N; 0: one per core
    std::size_t shard_index = 0, shard_count = 1;
    bool quiet = false;  // no live progress
};

// --out, --junit, --html (evsim load, run and report merge).
void add_output_options(boost::program_options::options_description& options);
OutputFiles output_files_from(const boost::program_options::variables_map& flags);
// Prints the summary, writes the files; returns 0 when every threshold passed, 1 when one failed,
// 2 when a file cannot be written.
int report_results(const loadgen::Results& results, const OutputFiles& outputs, std::string_view command);

// The options both commands take (the output options included).
void add_load_options(boost::program_options::options_description& options);
// Reads them; throws std::invalid_argument with a message naming the flag. The shard comes from
// --shard I/N, else JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job) with EVSIM_SHARDS.
LoadSettings load_settings_from(const boost::program_options::variables_map& flags);

// Checks the scenario's thresholds (unknown metrics, wrong units) and plans its schedule; prints
// problems as "FILE:LINE:COLUMN: message" and returns false.
bool check_load_section(const scenario::Scenario& scenario, std::string_view command);

// Plays the load section: progress on stderr, the summary on stdout, the files asked for.
// Returns 0 when every threshold passed, 1 when one failed, 2 for a source that cannot be
// resolved or a file that cannot be written.
int play_load(const scenario::Scenario& scenario, const std::map<std::string, std::string>& producer_urls,
              bool insecure_producers, const LoadSettings& settings, std::string_view command);

}  // namespace evsim::app
