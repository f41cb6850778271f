// The self-contained HTML report of a load run: the summary, the thresholds and inline SVG charts
// (throughput, latency percentiles and connections over time, the latency distribution), with no
// script and nothing fetched, so it opens from a CI artifact with no network.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "evsim/core/xml_escape.hpp"
#include "evsim/loadgen/report.hpp"

namespace evsim::loadgen {

namespace {

struct Line {
    std::string name;
    std::string color;
    std::vector<double> values;  // one per x
};

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

// A readable axis maximum: 1, 2 or 5 times a power of ten, at least `value`.
double nice_ceiling(double value) {
    if (!(value > 0)) return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * power >= value) return step * power;
    }
    return 10 * power;
}

// A line chart of `lines` over `x` (seconds, or another axis named by `x_label`), the y axis
// labelled by `format`.
// `ticks` label chosen x values; without them the first and last x are labelled.
std::string chart(const std::string& title, const std::vector<double>& x, const std::vector<Line>& lines,
                  const std::string& x_label, std::string (*format)(double), bool log_x = false,
                  const std::vector<std::pair<double, std::string>>& ticks = {}) {
    constexpr double width = 720, height = 240, left = 70, right = 20, top = 30, bottom = 40;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    std::ostringstream svg;
    svg << "<figure><svg viewBox=\"0 0 " << width << " " << height << "\" width=\"" << width << "\" height=\"" << height
        << "\" role=\"img\" aria-label=\"" << xml::escape(title) << "\">\n";
    svg << "<text x=\"" << left << "\" y=\"18\" class=\"title\">" << xml::escape(title) << "</text>\n";
    if (x.empty()) {
        svg << "<text x=\"" << left << "\" y=\"" << top + plot_h / 2 << "\">no data</text></svg></figure>\n";
        return svg.str();
    }
    double y_max = 0;
    for (const auto& line : lines) {
        for (const double v : line.values) y_max = std::max(y_max, v);
    }
    y_max = nice_ceiling(y_max);
    const auto x_of = [&](double v) {
        const double lo = log_x ? std::log10(std::max(x.front(), 1e-9)) : x.front();
        const double hi = log_x ? std::log10(std::max(x.back(), 1e-9)) : x.back();
        const double at = log_x ? std::log10(std::max(v, 1e-9)) : v;
        return left + (hi > lo ? (at - lo) / (hi - lo) : 0.5) * plot_w;
    };
    const auto y_of = [&](double v) { return top + plot_h - (v / y_max) * plot_h; };
    for (int i = 0; i <= 4; ++i) {  // horizontal grid with labels
        const double v = y_max * i / 4;
        svg << "<line x1=\"" << left << "\" x2=\"" << left + plot_w << "\" y1=\"" << number(y_of(v)) << "\" y2=\""
            << number(y_of(v)) << "\" class=\"grid\"/><text x=\"" << left - 6 << "\" y=\"" << number(y_of(v) + 4)
            << "\" class=\"axis\" text-anchor=\"end\">" << xml::escape(format(v)) << "</text>\n";
    }
    svg << "<text x=\"" << left + plot_w / 2 << "\" y=\"" << height - 6 << "\" class=\"axis\" text-anchor=\"middle\">"
        << xml::escape(x_label) << "</text>\n";
    std::vector<std::pair<double, std::string>> labels = ticks;
    if (labels.empty()) labels = {{x.front(), number(x.front())}, {x.back(), number(x.back())}};
    for (const auto& [at, text] : labels) {
        svg << "<text x=\"" << number(x_of(at)) << "\" y=\"" << height - 22 << "\" class=\"axis\" text-anchor=\"middle\">"
            << xml::escape(text) << "</text>\n";
    }
    double legend_x = left + 200;
    for (const auto& line : lines) {
        svg << "<polyline fill=\"none\" stroke=\"" << line.color << "\" stroke-width=\"1.5\" points=\"";
        for (std::size_t i = 0; i < x.size() && i < line.values.size(); ++i)
            svg << number(x_of(x[i])) << "," << number(y_of(line.values[i])) << " ";
        svg << "\"/>\n<text x=\"" << legend_x << "\" y=\"18\" fill=\"" << line.color << "\" class=\"legend\">"
            << xml::escape(line.name) << "</text>\n";
        legend_x += 90;
    }
    svg << "</svg></figure>\n";
    return svg.str();
}

std::string micros_label(double us) { return us == 0 ? "0" : format_micros(us); }
std::string count_label(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, v >= 100 ? "%.0f" : "%.1f", v);
    return buffer;
}

}  // namespace

std::string to_html(const Results& r) {
    std::vector<double> t;
    Line events{"events/s", "#1f77b4", {}}, p50{"p50", "#2ca02c", {}}, p90{"p90", "#ff7f0e", {}}, p99{"p99", "#d62728", {}},
        max{"max", "#7f7f7f", {}}, open{"open", "#1f77b4", {}}, vus{"VUs", "#2ca02c", {}}, pending{"pending", "#d62728", {}};
    for (const auto& s : r.series) {
        t.push_back(s.at_s);
        events.values.push_back(s.span_s > 0 ? static_cast<double>(s.events) / s.span_s : 0);
        p50.values.push_back(static_cast<double>(s.latency_p50));
        p90.values.push_back(static_cast<double>(s.latency_p90));
        p99.values.push_back(static_cast<double>(s.latency_p99));
        max.values.push_back(static_cast<double>(s.latency_max));
        open.values.push_back(static_cast<double>(s.open));
        vus.values.push_back(static_cast<double>(s.vus));
        pending.values.push_back(static_cast<double>(s.pending));
    }
    // The distribution: latency at percentiles from 0 to 99.999, spaced on a log scale of 1/(1-p).
    std::vector<double> nines;
    Line distribution{"latency", "#9467bd", {}};
    const auto& latency = r.metrics.latency;
    if (latency.count() > 0) {
        for (double q = 1; q <= 100'000 * 1.0001; q *= std::pow(10.0, 0.1)) {
            nines.push_back(q);
            distribution.values.push_back(static_cast<double>(latency.value_at_percentile(100.0 - 100.0 / q)));
        }
    }
    std::ostringstream html;
    html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>evsim load: "
         << xml::escape(r.scenario) << "</title>\n<style>\n"
         << "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}"
         << "pre{background:#f6f6f6;padding:1em;overflow-x:auto}figure{margin:1em 0}"
         << ".grid{stroke:#ddd}.axis{font-size:11px;fill:#555}.title{font-size:14px;font-weight:600}"
         << ".legend{font-size:12px}.pass{color:#2ca02c}.fail{color:#d62728}table{border-collapse:collapse}"
         << "td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:left}\n</style></head><body>\n";
    html << "<h1>evsim load: " << xml::escape(r.scenario) << "</h1>\n";
    html << "<p class=\"" << (r.passed() ? "pass" : "fail") << "\"><strong>" << (r.passed() ? "PASS" : "FAIL")
         << "</strong></p>\n";
    if (!r.thresholds.empty()) {
        html << "<table><tr><th>threshold</th><th>result</th><th>observed</th></tr>\n";
        for (const auto& th : r.thresholds) {
            html << "<tr><td>" << xml::escape(th.text) << "</td><td class=\"" << (th.passed ? "pass" : "fail") << "\">"
                 << (th.passed ? "PASS" : "FAIL") << "</td><td>" << xml::escape(th.message) << "</td></tr>\n";
        }
        html << "</table>\n";
    }
    html << chart("Events received per second", t, {events}, "seconds", count_label);
    html << chart("Latency of pushed events (per second)", t, {p50, p90, p99, max}, "seconds", micros_label);
    html << chart("Connections and virtual users", t, {open, vus, pending}, "seconds", count_label);
    html << chart("Latency distribution (whole run)", nines, {distribution}, "percentile", micros_label, true,
                  {{1, "0"}, {10, "90"}, {100, "99"}, {1000, "99.9"}, {10'000, "99.99"}, {100'000, "99.999"}});
    html << "<h2>Summary</h2>\n<pre>" << xml::escape(format_summary(r)) << "</pre>\n</body></html>\n";
    return html.str();
}

}  // namespace evsim::loadgen
