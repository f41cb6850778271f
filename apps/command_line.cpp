#include "command_line.hpp"

#include <boost/program_options/parsers.hpp>
#include <boost/program_options/positional_options.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "command.hpp"

namespace evsim::app {

namespace po = boost::program_options;

CommandLine parse_command_line(const std::vector<std::string>& args, const po::options_description& options) {
    po::options_description all;
    all.add(options).add_options()("positional-arguments", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("positional-arguments", -1);
    CommandLine line;
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), line.flags);
    po::notify(line.flags);
    if (line.flags.count("positional-arguments"))
        line.positional = line.flags["positional-arguments"].as<std::vector<std::string>>();
    return line;
}

std::optional<CommandLine> parse_or_exit(std::string_view command, const std::vector<std::string>& args,
                                         const po::options_description& options,
                                         const std::function<void(std::ostream&)>& help, int& exit_code) {
    try {
        auto line = parse_command_line(args, options);
        if (!line.flags.count("help")) return line;
        help(std::cout);
        exit_code = kExitOk;
    } catch (const po::error& e) {
        exit_code = usage_error(command, e.what());
    }
    return std::nullopt;
}

int usage_error(std::string_view command, const std::string& message) {
    std::cerr << "evsim " << command << ": " << message << "\nTry 'evsim " << command << " --help'.\n";
    return kExitUsage;
}

// RFC 9110 token characters: what a header name may contain.
namespace {

bool is_header_name(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
    }
    return true;
}

}  // namespace

std::pair<std::string, std::string> parse_header(const std::string& text) {
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos || !is_header_name(std::string_view(text).substr(0, colon))) {
        throw po::error("--header expects 'Name: value' with a valid header name, got '" + text + "'");
    }
    std::string value = text.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        throw po::error("--header must not contain CR, LF or NUL");
    }
    return {text.substr(0, colon), value};
}

std::string read_bounded_file(const std::string& path, std::size_t max_bytes) {
    std::error_code ec;
    std::ifstream in;
    // A directory opens fine on Linux and then reads as nothing; say it cannot be read instead.
    if (!std::filesystem::is_directory(path, ec)) in.open(path, std::ios::binary);
    if (!in.is_open()) throw std::invalid_argument(path + ": cannot read");
    // One byte past the limit, so an oversized file is reported as such rather than cut short.
    std::string text(max_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw std::invalid_argument(path + ": cannot read");
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) throw std::invalid_argument(path + ": larger than " + std::to_string(max_bytes >> 20U) + " MiB");
    return text;
}

}  // namespace evsim::app
