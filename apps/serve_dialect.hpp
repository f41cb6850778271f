// `evsim serve --dialect NAME`: one emulated server of the reference documents (docs/dialects.md)
// with the original's defaults, configured by flags like the original's.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <string>

#include "evsim/core/scenario.hpp"

namespace evsim::app {

// The dialect flags `evsim serve` accepts, with their help.
void add_dialect_options(boost::program_options::options_description& options);
// Flags only a dialect uses (refused without --dialect).
inline constexpr const char* dialect_only_flags[] = {"port", "keepalive", "ids", "json", "actions"};

// The one-producer scenario `--dialect NAME` and the flags describe. Throws std::invalid_argument
// with a message naming the flag for anything unusable (an unknown dialect, a bad port).
scenario::Scenario dialect_scenario(const std::string& name, const boost::program_options::variables_map& flags);

}  // namespace evsim::app
