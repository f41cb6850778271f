// `evsim lint config.js`: what in a dashboard's sys_eventProviders registry will go wrong in a
// browser, found without running the dashboard. The rules (docs/lint.md):
//
//   connection-limit  more than six long-lived HTTP/1.1 connections (EventSources) to one host: the
//                     seventh never connects; FETCH sources to a host whose six connections are held
//                     by EventSources starve
//   scheme            a URL scheme that does not fit the type (SSE over ws://), a missing or
//                     unusable URL, an unknown type
//   events            no event names; WSS or FETCH entries naming more than one event (their data
//                     carries no name, so only the first can ever fire)
//   interval          FETCH and FILE polling intervals that are missing, not a positive number, or
//                     shorter than the minimum
//   credentials       FETCH credentials that are not omit/same-origin/include; `include` against a
//                     server that answers `Access-Control-Allow-Origin: *` or no CORS headers at all
//                     (asked live with --probe)
//   duplicate         the same source listed twice (two connections, every event twice)
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "evsim/core/dashboard_config.hpp"
#include "evsim/core/js_literal.hpp"
#include "evsim/net/http_exchange.hpp"

namespace evsim::conformance {

enum class Severity { error, warning, info };

struct Finding {
    Severity severity = Severity::error;
    std::string rule;       // "connection-limit", ...
    std::size_t entry = 0;  // 1-based index in sys_eventProviders; 0 for the registry as a whole
    scenario::SourceLocation where;
    std::string message;
};

// Asks a FETCH source what a browser's credentialed CORS request would get: the answer, or the
// reason it could not be asked (HttpExchangeError). Replaceable so tests need no network.
using CorsProbe = std::function<net::HttpAnswer(const std::string& url, const std::string& method,
                                                const std::string& origin)>;

struct LintOptions {
    // Polling faster than this is a warning (a dashboard per viewer multiplies it).
    std::chrono::milliseconds min_interval{250};
    // Set (--probe): FETCH entries with credentials 'include' are asked live.
    std::optional<CorsProbe> probe;
    std::string origin = "http://localhost";  // the dashboard page's origin, sent as Origin
};

// The probe evsim lint --probe uses: one request with Origin, bounded by `timeout`.
CorsProbe live_cors_probe(std::chrono::milliseconds timeout);

// Every finding for the registry `registry` (as read by dashboard::read_registry) and its plan
// (dashboard::plan_from_registry), in entry order, registry-wide findings last.
std::vector<Finding> lint_dashboard(const js::Value& registry, const dashboard::DashboardPlan& plan,
                                    const LintOptions& options);

std::string_view to_string(Severity severity) noexcept;

struct LintCounts {
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::size_t infos = 0;
};
LintCounts count(const std::vector<Finding>& findings);

// "config.js:12:5: error: message [rule]" per finding, then "N errors, N warnings, N notes in N entries".
std::string format_text(const std::vector<Finding>& findings, std::size_t entries);
// {"file","entries","errors","warnings","notes","findings":[{"severity","rule","entry","line","column","message"}]}
std::string format_json(const std::vector<Finding>& findings, std::size_t entries, const std::string& file);

}  // namespace evsim::conformance
