// One evsim subcommand: `evsim NAME ARGS...`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace evsim::app {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // a check, threshold or connection failed
inline constexpr int kExitUsage = 2;   // bad usage or bad input

struct Command {
    std::string_view name;
    std::string_view summary;
    int (*run)(const std::vector<std::string>& args);  // args after the command name
};

const std::vector<Command>& commands();

int run_listen(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);
int run_publish(const std::vector<std::string>& args);
int run_lint(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);
// `evsim check client`, which run_check hands its arguments to.
int run_check_client(const std::vector<std::string>& args);
// `evsim check matrix`, likewise.
int run_check_matrix(const std::vector<std::string>& args);
int run_load(const std::vector<std::string>& args);
int run_run(const std::vector<std::string>& args);
int run_report(const std::vector<std::string>& args);

}  // namespace evsim::app
