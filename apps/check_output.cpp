#include "check_output.hpp"

#include <fstream>
#include <iostream>

#include "command.hpp"

namespace evsim::app {

int write_check_report(const std::vector<conformance::CheckResult>& results, const CheckOutput& output) {
    const std::string report = output.format == "json"    ? conformance::format_json(results, output.target)
                               : output.format == "junit" ? conformance::format_junit(results, output.suite, output.strict)
                                                          : conformance::format_text(results, output.target);
    if (!output.file.empty()) {
        std::ofstream out(output.file, std::ios::binary);
        out << report;
        if (!out) {
            std::cerr << "evsim check: cannot write " << output.file << "\n";
            return kExitFailed;
        }
    } else {
        std::cout << report << std::flush;
    }
    return conformance::failed(results) ? kExitFailed : kExitOk;
}

}  // namespace evsim::app
