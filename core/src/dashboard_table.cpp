// The terminal table of a dashboard plan: what each sys_eventProviders entry became.
#include <algorithm>
#include <array>

#include "dashboard_parts.hpp"

namespace evsim::dashboard {
namespace {

constexpr std::size_t max_cell = 60;  // code points; a long URL is cut rather than widening every row

// Width on a terminal, approximated by code points (continuation bytes take no column).
std::size_t width(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Control characters from config.js strings must not reach the terminal (a \r or an escape
// sequence would garble the table); they are shown as '?'.
std::string printable(std::string_view s) {
    std::string out;
    for (const char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == '\x7F') ? '?' : c;
    return out;
}

std::string cell(std::string_view s) {
    std::string out = printable(s);
    if (width(out) <= max_cell) return out;
    std::size_t seen = 0, cut = 0;
    for (; cut < out.size(); ++cut)
        if ((static_cast<unsigned char>(out[cut]) & 0xC0) != 0x80 && ++seen > max_cell - 3) break;
    return out.substr(0, cut) + "...";
}

std::string status(const DashboardEntry& e) {
    if (!e.served) return "skipped: " + printable(e.reason);
    // Producer names are "<type>-<index>", so the name says whether the target is a file.
    const bool file = e.producer.starts_with("file-");
    std::string s = e.producer + (file ? " writes " : " on ") + printable(e.target) + (e.tls ? " (TLS)" : "");
    for (const std::string& note : e.notes) s += "; " + printable(note);
    return s;
}

}  // namespace

std::string format_entries(const std::vector<DashboardEntry>& entries) {
    std::vector<std::array<std::string, 5>> rows;
    rows.push_back({"#", "type", "url", "events", "serves as"});
    for (const DashboardEntry& e : entries) {
        std::string events;
        for (const std::string& name : e.events) events += (events.empty() ? "" : ", ") + name;
        rows.push_back({std::to_string(e.index), cell(e.type.empty() ? "-" : e.type), cell(e.url.empty() ? "-" : e.url),
                        cell(events.empty() ? "-" : events), status(e)});
    }
    std::array<std::size_t, 4> widths{};
    for (const auto& row : rows)
        for (std::size_t c = 0; c < widths.size(); ++c) widths[c] = std::max(widths[c], width(row[c]));
    std::string out;
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < widths.size(); ++c) out += row[c] + std::string(widths[c] - width(row[c]) + 2, ' ');
        out += row[4] + "\n";  // the last column is not padded: no trailing spaces
    }
    return out;
}

}  // namespace evsim::dashboard
