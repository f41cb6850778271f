#include "evsim/conformance/check_matrix.hpp"

#include <boost/json/parse.hpp>
#include <map>
#include <sstream>

#include "evsim/core/xml_escape.hpp"

namespace evsim::conformance {

namespace {

constexpr std::size_t kMaxChecks = 100'000;

std::string field(const boost::json::object& o, const char* key, const std::string& where, bool required = true) {
    const auto* v = o.if_contains(key);
    if (!v) {
        if (required) throw ReportError(where + ": \"" + key + "\" is missing");
        return {};
    }
    if (!v->is_string()) throw ReportError(where + ": \"" + key + "\" is not a string");
    return std::string(v->get_string());
}

Level level_of(const std::string& text, const std::string& where) {
    if (text == "MUST") return Level::must;
    if (text == "SHOULD") return Level::should;
    if (text == "INFO") return Level::info;
    throw ReportError(where + ": level '" + text + "' (expected MUST, SHOULD or INFO)");
}

Verdict verdict_of(const std::string& text, const std::string& where) {
    if (text == "PASS") return Verdict::pass;
    if (text == "NON-STRICT") return Verdict::non_strict;
    if (text == "FAIL") return Verdict::fail;
    if (text == "INFO") return Verdict::info;
    throw ReportError(where + ": verdict '" + text + "' (expected PASS, NON-STRICT, FAIL or INFO)");
}

const char* css_class(Verdict v) {
    switch (v) {
        case Verdict::pass: return "pass";
        case Verdict::non_strict: return "nonstrict";
        case Verdict::fail: return "fail";
        case Verdict::info: return "info";
    }
    return "info";
}

constexpr const char* kStyle = R"CSS(
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
th { background: #f4f4f4; text-align: left; }
td.case code { font-weight: 600; }
td.case small { color: #666; display: block; max-width: 36em; }
td.pass { background: #e3f5e1; } td.fail { background: #fbe0e0; }
td.nonstrict { background: #fff1cc; } td.info { background: #e6eefb; } td.none { color: #999; }
details summary { cursor: pointer; font-weight: 600; }
details div { max-width: 28em; font-size: 12px; white-space: pre-wrap; }
)CSS";

}  // namespace

ClientReport parse_check_report(const std::string& json, const std::string& source) {
    boost::system::error_code error;
    const auto value = boost::json::parse(json, error);
    if (error) throw ReportError(source + ": not JSON (" + error.message() + ")");
    if (!value.is_object()) throw ReportError(source + ": not an evsim check report (expected a JSON object)");
    const auto& root = value.get_object();
    ClientReport report;
    report.client = field(root, "target", source);
    const auto* checks = root.if_contains("checks");
    if (!checks || !checks->is_array()) throw ReportError(source + ": \"checks\" is missing or not a list");
    if (checks->get_array().size() > kMaxChecks) throw ReportError(source + ": more than 100000 checks");
    std::size_t index = 0;
    for (const auto& entry : checks->get_array()) {
        const std::string where = source + ": check " + std::to_string(++index);
        if (!entry.is_object()) throw ReportError(where + ": not an object");
        const auto& o = entry.get_object();
        CheckResult r;
        r.id = field(o, "id", where);
        r.title = field(o, "title", where, false);
        r.clause = field(o, "clause", where, false);
        r.level = level_of(field(o, "level", where), where);
        r.verdict = verdict_of(field(o, "verdict", where), where);
        r.expected = field(o, "expected", where, false);
        r.observed = field(o, "observed", where, false);
        r.note = field(o, "note", where, false);
        report.results.push_back(std::move(r));
    }
    return report;
}

std::string format_matrix_html(const std::vector<ClientReport>& reports) {
    // Rows: every case in the order first seen; the first report that has a case gives its title.
    std::vector<const CheckResult*> rows;
    std::map<std::string, std::size_t> row_of;
    for (const auto& report : reports)
        for (const auto& r : report.results)
            if (row_of.emplace(r.id, rows.size()).second) rows.push_back(&r);

    std::ostringstream out;
    out << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<title>evsim check: clients compared</title><style>"
        << kStyle << "</style></head><body>\n<h1>EventSource clients compared</h1>\n"
        << "<p>" << rows.size() << " case(s), " << reports.size()
        << " client(s). PASS; NON-STRICT: a SHOULD not met; FAIL: a MUST not met; INFO: reported, not judged "
           "(known deviations, cases a client cannot run). Open a cell for expected and observed.</p>\n"
        << "<table>\n<thead><tr><th>case</th><th>level</th>";
    for (const auto& report : reports) out << "<th>" << xml::escape(report.client) << "</th>";
    out << "</tr></thead>\n<tbody>\n";
    // Each report's results by id, so the page is built in time linear in its cells.
    std::vector<std::map<std::string, const CheckResult*>> by_id(reports.size());
    for (std::size_t i = 0; i < reports.size(); ++i)
        for (const auto& r : reports[i].results) by_id[i].emplace(r.id, &r);
    for (const auto* row : rows) {
        // The clause shows on hover: the rows stay short enough to compare clients at a glance.
        out << "<tr><td class=\"case\" title=\"" << xml::escape(row->clause) << "\"><code>" << xml::escape(row->id)
            << "</code><small>" << xml::escape(row->title) << "</small></td><td>" << to_string(row->level) << "</td>";
        for (const auto& results : by_id) {
            const auto found = results.find(row->id);
            const CheckResult* cell = found == results.end() ? nullptr : found->second;
            if (!cell) {
                out << "<td class=\"none\">not run</td>";
                continue;
            }
            out << "<td class=\"" << css_class(cell->verdict) << "\"><details><summary>" << to_string(cell->verdict)
                << "</summary><div>expected: " << xml::escape(cell->expected) << "\nobserved: " << xml::escape(cell->observed);
            if (!cell->note.empty()) out << "\nnote: " << xml::escape(cell->note);
            out << "</div></details></td>";
        }
        out << "</tr>\n";
    }
    out << "</tbody>\n<tfoot><tr><th colspan=\"2\">totals</th>";
    for (const auto& report : reports) {
        std::size_t counts[4] = {0, 0, 0, 0};
        for (const auto& r : report.results) ++counts[static_cast<int>(r.verdict)];
        out << "<th>" << counts[0] << " pass, " << counts[1] << " non-strict, " << counts[2] << " fail, " << counts[3]
            << " info</th>";
    }
    out << "</tr></tfoot>\n</table>\n</body></html>\n";
    return out.str();
}

}  // namespace evsim::conformance
