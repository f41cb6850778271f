#include "check_output.hpp"

#include <fstream>
#include <iostream>

#include "command.hpp"

namespace evsim::app {

bool deliver_report(const std::string& text, const std::string& file) {
    if (file.empty()) {
        std::cout << text << std::flush;
        return true;
    }
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out) std::cerr << "evsim check: cannot write " << file << "\n";
    return static_cast<bool>(out);
}

int write_check_report(const std::vector<conformance::CheckResult>& results, const CheckOutput& output) {
    const std::string report = output.format == "json"    ? conformance::format_json(results, output.target)
                               : output.format == "junit" ? conformance::format_junit(results, output.suite, output.strict)
                                                          : conformance::format_text(results, output.target);
    if (!deliver_report(report, output.file)) return kExitFailed;
    return conformance::failed(results) ? kExitFailed : kExitOk;
}

}  // namespace evsim::app
