// The body of `POST /producers/NAME/faults`: a fault to inject at once, as JSON.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "evsim/core/faults.hpp"

namespace evsim::producers {

// {"kind":"close","close_code":1011}, {"kind":"stall","duration":"2s"}, {"kind":"split","at_bytes":[3,9]},
// {"kind":"status","status":503}, ... the parameters of docs/scenarios.md's fault table, with
// durations as text ("250ms") or milliseconds. No trigger: the fault applies now. Returns the spec,
// checked for `producer_type`, or the reason it cannot be used.
std::variant<faults::FaultSpec, std::string> parse_fault_body(std::string_view body, std::string_view producer_type);

}  // namespace evsim::producers
