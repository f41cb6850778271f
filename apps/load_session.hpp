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

namespace evsim::app {

struct LoadSettings {
    std::optional<std::string> json_out;   // --out FILE: the results JSON
    std::optional<std::string> junit_out;  // --junit FILE
    std::size_t threads = 0;               // --threads N; 0: one per core
    std::size_t shard_index = 0, shard_count = 1;
    bool quiet = false;  // no live progress
};

// The options both commands take.
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
