// The pieces of evsim lint, one file each: the per-entry rules (dashboard_lint.cpp), the
// connection-limit rule (lint_connections.cpp) and FETCH credentials with the live CORS probe
// (lint_cors_probe.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "evsim/conformance/dashboard_lint.hpp"
#include "evsim/net/url.hpp"

namespace evsim::conformance::detail {

// The findings of one registry entry as they are made.
struct EntryLint {
    std::size_t index;
    scenario::SourceLocation where;  // the entry; add() moves it to the value it is about
    std::vector<Finding> findings;

    void add(Severity severity, const char* rule, const js::Value* at, std::string message);
};

// An SSE, WSS or FETCH entry with a usable absolute URL.
struct NetworkSource {
    std::size_t entry;
    scenario::ProducerType type;
    net::Endpoint endpoint;
    scenario::SourceLocation where;
};

std::vector<Finding> check_connection_limit(const std::vector<NetworkSource>& sources);
void check_credentials(const js::Value& item, const std::optional<net::Endpoint>& endpoint,
                       const LintOptions& options, EntryLint& lint);

// 250, 0.5, 1e+20: a JS number as a person would write it.
std::string number_text(double value);

}  // namespace evsim::conformance::detail
