// evsim lint's output: compiler-style lines for people and editors, JSON for tools.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "evsim/conformance/dashboard_lint.hpp"

namespace evsim::conformance {

LintCounts count(const std::vector<Finding>& findings) {
    LintCounts counts;
    for (const auto& finding : findings) {
        switch (finding.severity) {
            case Severity::error: ++counts.errors; break;
            case Severity::warning: ++counts.warnings; break;
            case Severity::info: ++counts.infos; break;
        }
    }
    return counts;
}

std::string format_text(const std::vector<Finding>& findings, std::size_t entries) {
    std::string out;
    for (const auto& f : findings) {
        out += f.where.file + ":" + std::to_string(f.where.line) + ":" + std::to_string(f.where.column) + ": " +
               std::string(to_string(f.severity)) + ": " + f.message + " [" + f.rule + "]\n";
    }
    const auto counts = count(findings);
    const auto plural = [](std::size_t n, const char* word) {
        return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
    };
    out += plural(counts.errors, "error") + ", " + plural(counts.warnings, "warning") + ", " +
           plural(counts.infos, "note") + " in " + std::to_string(entries) + (entries == 1 ? " entry" : " entries") +
           "\n";
    return out;
}

std::string format_json(const std::vector<Finding>& findings, std::size_t entries, const std::string& file) {
    boost::json::array list;
    for (const auto& f : findings) {
        list.push_back(boost::json::object{{"severity", to_string(f.severity)},
                                           {"rule", f.rule},
                                           {"entry", f.entry},
                                           {"line", f.where.line},
                                           {"column", f.where.column},
                                           {"message", f.message}});
    }
    const auto counts = count(findings);
    boost::json::object report{{"file", file},
                               {"entries", entries},
                               {"errors", counts.errors},
                               {"warnings", counts.warnings},
                               {"notes", counts.infos},
                               {"findings", std::move(list)}};
    return boost::json::serialize(report) + "\n";
}

}  // namespace evsim::conformance
