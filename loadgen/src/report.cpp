#include "evsim/loadgen/report.hpp"

#include <cstdio>
#include <sstream>

#include "evsim/core/xml_escape.hpp"

namespace evsim::loadgen {

namespace {

// 1234567 -> "1,234,567"
std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string bytes_text(std::uint64_t n) {
    if (n >= 1'000'000'000) return fixed(static_cast<double>(n) / 1e9, 2) + " GB";
    if (n >= 1'000'000) return fixed(static_cast<double>(n) / 1e6, 2) + " MB";
    if (n >= 1'000) return fixed(static_cast<double>(n) / 1e3, 1) + " kB";
    return std::to_string(n) + " B";
}

std::string distribution(const LatencyHistogram& h) {
    if (h.count() == 0) return "-";
    return "p50 " + format_micros(static_cast<double>(h.value_at_percentile(50))) + "  p90 " +
           format_micros(static_cast<double>(h.value_at_percentile(90))) + "  p99 " +
           format_micros(static_cast<double>(h.value_at_percentile(99))) + "  p99.9 " +
           format_micros(static_cast<double>(h.value_at_percentile(99.9))) + "  max " +
           format_micros(static_cast<double>(h.max())) + "  (" + grouped(h.count()) + ")";
}

void row(std::ostringstream& out, const char* name, const std::string& text) {
    char label[32];
    std::snprintf(label, sizeof label, "  %-15s", name);
    out << label << text << "\n";
}

}  // namespace

std::string format_micros(double us) {
    if (us >= 60e6) return fixed(us / 60e6, 1) + "m";
    if (us >= 1e6) return fixed(us / 1e6, 2) + "s";
    if (us >= 1e3) return fixed(us / 1e3, us >= 100e3 ? 0 : 1) + "ms";
    return fixed(us, 0) + "us";
}

std::string format_progress(const Progress& p) {
    return fixed(p.elapsed_s, 1) + "s/" + fixed(p.planned_s, 1) + "s  vus " + std::to_string(p.vus) + "  open " +
           std::to_string(p.open) + "  pending " + std::to_string(p.pending) + "  events/s " +
           grouped(static_cast<std::uint64_t>(p.events_per_s + 0.5)) + "  p99 " +
           (p.latency_p99 ? format_micros(static_cast<double>(p.latency_p99)) : std::string("-")) + "  failures " +
           grouped(p.failures);
}

std::string format_summary(const Results& r) {
    const Metrics& m = r.metrics;
    std::ostringstream out;
    out << "evsim load: " << (r.scenario.empty() ? std::string("(scenario)") : r.scenario) << ": ran "
        << fixed(r.elapsed_s, 1) << " s of " << fixed(r.planned_s, 1) << " s planned";
    if (r.shard_count > 1) out << " (shard " << r.shard_index << "/" << r.shard_count << ")";
    if (r.interrupted) out << ", stopped early: " << r.stop_reason;
    out << "\n";
    row(out, "vus", "started " + grouped(m.vus_started) + "  max at once " + std::to_string(r.peak_vus) +
                        "  arrivals dropped " + grouped(r.dropped_arrivals));
    const double failed_pct = m.connect_attempts ? 100.0 * static_cast<double>(m.connect_failures) /
                                                       static_cast<double>(m.connect_attempts)
                                                 : 0.0;
    row(out, "connections", "attempted " + grouped(m.connect_attempts) + "  opened " + grouped(m.connects) +
                                "  failed " + grouped(m.connect_failures) + " (" + fixed(failed_pct, 1) +
                                " %)  open at most " + std::to_string(r.peak_open) + "  disconnects " +
                                grouped(m.disconnects) + "  reconnects " + grouped(m.reconnects));
    if (m.pool_waits || m.pool_never_granted || r.peak_pending)
        row(out, "browser pool", "waited " + grouped(m.pool_waits) + "  pending at most " +
                                     std::to_string(r.peak_pending) + "  never granted " +
                                     grouped(m.pool_never_granted) + "  wait " + distribution(m.pool_wait));
    const double per_s = r.elapsed_s > 0 ? static_cast<double>(m.events) / r.elapsed_s : 0.0;
    row(out, "events", "received " + grouped(m.events) + " (" + grouped(static_cast<std::uint64_t>(per_s + 0.5)) +
                           "/s)  bytes " + bytes_text(m.bytes) + "  stamped " + grouped(m.stamped));
    row(out, "sequence", "lost " + grouped(m.lost) + "  duplicated " + grouped(m.duplicates) + "  reordered " +
                             grouped(m.reordered));
    row(out, "latency", distribution(m.latency));
    if (m.fetch_requests) {
        row(out, "fetch", "requests " + grouped(m.fetch_requests) + "  failed " + grouped(m.fetch_failures));
        row(out, "fetch latency", distribution(m.fetch_latency));
    }
    if (m.file_reads) row(out, "file", "reads " + grouped(m.file_reads) + "  torn " + grouped(m.file_torn));
    row(out, "connect time", distribution(m.connect_time));
    row(out, "first event", distribution(m.first_event));
    if (m.reconnects) row(out, "reconnect time", distribution(m.reconnect_time));
    row(out, "schedule lag", distribution(m.schedule_lag));
    if (!m.failures.empty()) {
        std::string list;
        for (const auto& [reason, n] : m.failures) list += (list.empty() ? "" : ", ") + reason + " " + grouped(n);
        row(out, "failures", list);
    }
    std::size_t passed = 0;
    if (!r.thresholds.empty()) {
        out << "thresholds\n";
        for (const auto& t : r.thresholds) {
            out << "  " << (t.passed ? "PASS  " : "FAIL  ") << t.message << "\n";
            passed += t.passed ? 1 : 0;
        }
    }
    out << "result: " << (r.passed() ? "PASS" : "FAIL");
    if (!r.thresholds.empty()) out << " (" << passed << " of " << r.thresholds.size() << " thresholds passed)";
    out << "\n";
    return out.str();
}

std::string to_junit(const Results& r) {
    std::ostringstream out;
    std::size_t failures = 0;
    for (const auto& t : r.thresholds) failures += t.passed ? 0 : 1;
    const std::size_t tests = r.thresholds.empty() ? 1 : r.thresholds.size();
    if (r.thresholds.empty() && r.interrupted) failures = 1;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuite name=\"evsim load\" tests=\"" << tests << "\" failures=\"" << failures << "\" time=\""
        << fixed(r.elapsed_s, 3) << "\">\n";
    const std::string suite = xml::escape(r.scenario.empty() ? "evsim load" : r.scenario);
    if (r.thresholds.empty()) {
        out << "  <testcase classname=\"" << suite << "\" name=\"run\">";
        if (r.interrupted) out << "<failure message=\"" << xml::escape("stopped early: " + r.stop_reason) << "\"/>";
        out << "</testcase>\n";
    }
    for (const auto& t : r.thresholds) {
        out << "  <testcase classname=\"" << suite << "\" name=\"" << xml::escape(t.text) << "\">";
        if (!t.passed) out << "<failure message=\"" << xml::escape(t.message) << "\"/>";
        out << "<system-out>" << xml::escape(t.message) << "</system-out></testcase>\n";
    }
    out << "</testsuite>\n";
    return out.str();
}

}  // namespace evsim::loadgen
