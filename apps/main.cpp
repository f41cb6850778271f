// evsim: mock event servers, load generator and conformance checker for live-data backends.
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"

namespace {

void print_usage(std::ostream& out) {
    out << "usage: evsim <command> [options]\n\ncommands:\n";
    for (const auto& command : evsim::app::commands()) {
        out << "  " << command.name << std::string(10 - command.name.size(), ' ') << command.summary << "\n";
    }
    out << "\n'evsim <command> --help' describes a command's options.\n"
           "exit codes: 0 success, 1 a check or connection failed, 2 usage or input error\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        print_usage(std::cerr);
        return evsim::app::kExitUsage;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage(std::cout);
        return evsim::app::kExitOk;
    }
    if (name == "--version") {
        std::cout << "evsim 0.1.0\n";
        return evsim::app::kExitOk;
    }
    for (const auto& command : evsim::app::commands()) {
        if (command.name == name) {
            try {
                return command.run(std::vector<std::string>(argv + 2, argv + argc));
            } catch (const std::exception& e) {
                std::cerr << "evsim " << name << ": " << e.what() << "\n";
                return evsim::app::kExitFailed;
            }
        }
    }
    std::cerr << "evsim: unknown command '" << name << "'\n\n";
    print_usage(std::cerr);
    return evsim::app::kExitUsage;
}
