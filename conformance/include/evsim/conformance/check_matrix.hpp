// `evsim check matrix`: several clients' `evsim check client --format json` reports side by side,
// as one self-contained HTML page (no scripts, no external files) with a row per case and a column
// per client, so a team can compare the EventSource clients it ships with.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "evsim/conformance/check_result.hpp"

namespace evsim::conformance {

struct ClientReport {
    std::string client;  // the report's "target" ("client: evsim listen")
    std::vector<CheckResult> results;
};

class ReportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads one JSON report as format_json writes it; `source` names it in errors. Throws ReportError
// for anything that is not such a report (the file is untrusted: bounded, every field checked).
ClientReport parse_check_report(const std::string& json, const std::string& source);

// The HTML page: cases in the order first seen, clients in the order given; a case a client's
// report lacks shows as "not run". Each cell carries the expected and observed text.
std::string format_matrix_html(const std::vector<ClientReport>& reports);

}  // namespace evsim::conformance
