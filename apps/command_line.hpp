// What every evsim subcommand does with its arguments before its own work: options parsed with
// Boost.Program_options, the rest collected as positional arguments, and usage errors reported in
// one form ("evsim CMD: message" and a pointer to --help, exit 2).
#pragma once

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evsim::app {

struct CommandLine {
    boost::program_options::variables_map flags;
    std::vector<std::string> positional;  // the arguments that are not options, in order
};

// Parses `args` against `options`; throws boost::program_options::error for an unknown option or a
// missing value.
CommandLine parse_command_line(const std::vector<std::string>& args,
                               const boost::program_options::options_description& options);

// The usual start of a command: parses `args`; on a usage error prints it (usage_error) and on
// --help calls `help`, then returns nothing and sets `exit_code` (2 or 0) for the command to return.
std::optional<CommandLine> parse_or_exit(std::string_view command, const std::vector<std::string>& args,
                                         const boost::program_options::options_description& options,
                                         const std::function<void(std::ostream&)>& help, int& exit_code);

// A --header value "Name: value" (RFC 9110 name, no CR/LF/NUL); throws program_options::error.
std::pair<std::string, std::string> parse_header(const std::string& text);

// A file a command reads whole (a results file, a report): at most `max_bytes`, or
// std::invalid_argument "PATH: cannot read" / "PATH: larger than N MiB".
std::string read_bounded_file(const std::string& path, std::size_t max_bytes);

// Prints "evsim COMMAND: message" and "Try 'evsim COMMAND --help'." to stderr; returns kExitUsage.
int usage_error(std::string_view command, const std::string& message);

}  // namespace evsim::app
