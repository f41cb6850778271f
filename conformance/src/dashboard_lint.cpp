// The per-entry rules of evsim lint (scheme, events, interval, credentials, duplicate); the
// connection-limit rule is in lint_connections.cpp, the live CORS probe in lint_cors_probe.cpp.
#include "evsim/conformance/dashboard_lint.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "lint_parts.hpp"

namespace evsim::conformance {

using scenario::ProducerType;

std::string_view to_string(Severity severity) noexcept {
    switch (severity) {
        case Severity::error: return "error";
        case Severity::warning: return "warning";
        case Severity::info: return "info";
    }
    return "?";
}

namespace detail {

void EntryLint::add(Severity severity, const char* rule, const js::Value* at, std::string message) {
    Finding finding{severity, rule, index, where, std::move(message)};
    if (at && at->at.line > 0) {
        finding.where.line = at->at.line;
        finding.where.column = at->at.column;
    }
    findings.push_back(std::move(finding));
}

}  // namespace detail

namespace {

using detail::EntryLint;

std::string single_quoted(const std::string& text) { return "'" + text + "'"; }

// The type, or a finding and nothing.
std::optional<ProducerType> check_type(const js::Value& item, EntryLint& lint) {
    const js::Value* type = item.find("type");
    if (!type || type->is_nullish()) {
        lint.add(Severity::error, "scheme", &item, "no 'type': the dashboard cannot tell what kind of source this is");
        return std::nullopt;
    }
    if (!type->is_string()) {
        lint.add(Severity::error, "scheme", type, "'type' must be a string (SSE, WSS, FETCH or FILE)");
        return std::nullopt;
    }
    const auto kind = dashboard::source_type(type->as_string());
    if (!kind)
        lint.add(Severity::error, "scheme", type,
                 "unknown type " + single_quoted(type->as_string()) + ": expected SSE, WSS, FETCH or FILE");
    return kind;
}

// The URL's scheme against the type. Returns the parsed endpoint of a network URL.
std::optional<net::Endpoint> check_url(const js::Value& item, ProducerType kind, EntryLint& lint) {
    const js::Value* url = item.find("url");
    if (!url || url->is_nullish() || (url->is_string() && url->as_string().empty())) {
        lint.add(Severity::error, "scheme", &item, "no 'url'");
        return std::nullopt;
    }
    if (!url->is_string()) {
        lint.add(Severity::error, "scheme", url, "'url' must be a string");
        return std::nullopt;
    }
    const std::string& text = url->as_string();
    const auto colon = text.find(':');
    const auto slash = text.find('/');
    const bool has_scheme = colon != std::string::npos && (slash == std::string::npos || colon < slash);
    std::string scheme = has_scheme ? text.substr(0, colon) : std::string();
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    if (kind == ProducerType::file) {
        if (has_scheme && scheme != "file")
            lint.add(Severity::error, "scheme", url,
                     "FILE needs a file:// URL or a path, got " + single_quoted(scheme + ":") +
                         (scheme == "http" || scheme == "https" ? " (a web address is a FETCH source)" : ""));
        return std::nullopt;
    }
    const bool ws = kind == ProducerType::ws;
    const char* wanted = ws ? "ws:// or wss://" : "http:// or https://";
    const char* type_name = ws ? "WSS" : kind == ProducerType::sse ? "SSE" : "FETCH";
    if (!has_scheme) {
        // Browsers resolve it against the page for fetch and EventSource; WebSocket needs an absolute URL.
        if (ws) {
            lint.add(Severity::error, "scheme", url, "WSS needs an absolute ws:// or wss:// URL, got " + single_quoted(text));
        } else {
            lint.add(Severity::info, "scheme", url, "relative URL: resolved against the dashboard page's address");
        }
        return std::nullopt;
    }
    const bool fits = ws ? (scheme == "ws" || scheme == "wss") : (scheme == "http" || scheme == "https");
    if (!fits) {
        lint.add(Severity::error, "scheme", url,
                 std::string(type_name) + " needs an " + wanted + " URL, got " + single_quoted(scheme + ":"));
        return std::nullopt;
    }
    try {
        return net::parse_url(text);
    } catch (const net::UrlError& e) {
        lint.add(Severity::error, "scheme", url, std::string("unusable URL: ") + e.what());
        return std::nullopt;
    }
}

void check_events(const js::Value& item, ProducerType kind, EntryLint& lint) {
    const js::Value* events = item.find("events");
    std::vector<std::string> names;
    if (events && events->is_string()) {
        names.push_back(events->as_string());
    } else if (events && events->is_array()) {
        for (const auto& name : events->as_array())
            if (name.is_string()) names.push_back(name.as_string());
    }
    if (names.empty()) {
        lint.add(Severity::warning, "events", events ? events : &item,
                 "no event names: 'events' is the dashboard's white list, so nothing from this source is shown");
        return;
    }
    if ((kind == ProducerType::ws || kind == ProducerType::fetch) && names.size() > 1) {
        std::string ignored;
        for (std::size_t i = 1; i < names.size(); ++i) ignored += (i > 1 ? ", " : "") + single_quoted(names[i]);
        lint.add(Severity::warning, "events", events,
                 std::string(kind == ProducerType::ws ? "WSS" : "FETCH") +
                     " data carries no event name, so only " + single_quoted(names.front()) + " can fire; " + ignored +
                     " never will");
    }
}

void check_interval(const js::Value& item, ProducerType kind, const LintOptions& options, EntryLint& lint) {
    const js::Value* interval = item.find("interval");
    const bool polled = kind == ProducerType::fetch || kind == ProducerType::file;
    if (!polled) {
        if (interval && !interval->is_nullish())
            lint.add(Severity::info, "interval", interval, "'interval' is ignored: the server pushes this source's events");
        return;
    }
    if (!interval || interval->is_nullish()) {
        lint.add(Severity::warning, "interval", &item, "no 'interval': how often this source is polled is left to the "
                                                       "dashboard's default");
        return;
    }
    if (!interval->is_number() || !std::isfinite(interval->as_number()) || interval->as_number() <= 0) {
        lint.add(Severity::error, "interval", interval, "'interval' must be a positive number of milliseconds");
        return;
    }
    const double ms = interval->as_number();
    if (ms < static_cast<double>(options.min_interval.count())) {
        const long per_minute = std::lround(60'000.0 / ms);
        lint.add(Severity::warning, "interval", interval,
                 "polled every " + detail::number_text(ms) + " ms (" + std::to_string(per_minute) +
                     " requests a minute for every open dashboard); the minimum is " +
                     std::to_string(options.min_interval.count()) + " ms");
    }
}

}  // namespace

std::vector<Finding> lint_dashboard(const js::Value& registry, const dashboard::DashboardPlan& plan,
                                    const LintOptions& options) {
    std::vector<Finding> findings;
    std::vector<detail::NetworkSource> sources;
    std::map<std::string, std::size_t> first_with_url;
    const auto& items = registry.as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const js::Value& item = items[i];
        EntryLint lint{i + 1, {plan.scenario.source, item.at.line, item.at.column}, {}};
        if (i < plan.entries.size()) lint.where = plan.entries[i].where;
        if (!item.is_object()) {
            lint.add(Severity::error, "scheme", &item, "entry is " + js::describe(item) + ", not an object");
        } else if (const auto kind = check_type(item, lint)) {
            const auto endpoint = check_url(item, *kind, lint);
            check_events(item, *kind, lint);
            check_interval(item, *kind, options, lint);
            if (*kind == ProducerType::fetch) detail::check_credentials(item, endpoint, options, lint);
            if (endpoint) sources.push_back({i + 1, *kind, *endpoint, lint.where});
            if (const js::Value* url = item.find("url"); url && url->is_string()) {
                const std::string key = std::string(scenario::to_string(*kind)) + " " + url->as_string();
                if (const auto [it, added] = first_with_url.emplace(key, i + 1); !added)
                    lint.add(Severity::warning, "duplicate", url,
                             "the same source as entry " + std::to_string(it->second) +
                                 ": a second connection, and every event handled twice");
            }
        }
        findings.insert(findings.end(), std::make_move_iterator(lint.findings.begin()),
                        std::make_move_iterator(lint.findings.end()));
    }
    auto limits = detail::check_connection_limit(sources);
    findings.insert(findings.end(), std::make_move_iterator(limits.begin()), std::make_move_iterator(limits.end()));
    // Source order, as a compiler reports.
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
    });
    return findings;
}

}  // namespace evsim::conformance
