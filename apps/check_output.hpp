// How both `evsim check` commands deliver their report: text, JSON or JUnit XML, to stdout or a
// file, and the exit code that goes with the verdicts.
#pragma once

#include <string>
#include <vector>

#include "evsim/conformance/check_result.hpp"

namespace evsim::app {

struct CheckOutput {
    std::string format = "text";  // text, json or junit (checked by the caller)
    std::string target;           // what was checked, for the text and JSON reports
    std::string suite;            // the JUnit testsuite name
    bool strict = false;          // JUnit: NON-STRICT is a failure too
    std::string file;             // empty: stdout
};

// Writes `text` to `file` (stdout when empty); false, with a message on stderr, when it cannot.
bool deliver_report(const std::string& text, const std::string& file);

// Writes the report; returns kExitFailed when a MUST failed or the file cannot be written, else kExitOk.
int write_check_report(const std::vector<conformance::CheckResult>& results, const CheckOutput& output);

}  // namespace evsim::app
