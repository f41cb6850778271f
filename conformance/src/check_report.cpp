// The report forms of evsim check.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <iomanip>
#include <sstream>

#include "evsim/conformance/check_result.hpp"
#include "evsim/core/xml_escape.hpp"

namespace evsim::conformance {

std::string_view to_string(Level level) noexcept {
    switch (level) {
        case Level::must: return "MUST";
        case Level::should: return "SHOULD";
        case Level::info: return "INFO";
    }
    return "?";
}

std::string_view to_string(Verdict verdict) noexcept {
    switch (verdict) {
        case Verdict::pass: return "PASS";
        case Verdict::non_strict: return "NON-STRICT";
        case Verdict::fail: return "FAIL";
        case Verdict::info: return "INFO";
    }
    return "?";
}

bool failed(const std::vector<CheckResult>& results) noexcept {
    for (const auto& r : results) {
        if (r.verdict == Verdict::fail) return true;
    }
    return false;
}

namespace {

struct Counts {
    std::size_t pass = 0, non_strict = 0, fail = 0, info = 0;
};

Counts count(const std::vector<CheckResult>& results) {
    Counts c;
    for (const auto& r : results) {
        switch (r.verdict) {
            case Verdict::pass: ++c.pass; break;
            case Verdict::non_strict: ++c.non_strict; break;
            case Verdict::fail: ++c.fail; break;
            case Verdict::info: ++c.info; break;
        }
    }
    return c;
}

}  // namespace

std::string format_text(const std::vector<CheckResult>& results, std::string_view target) {
    std::ostringstream out;
    out << "evsim check: " << target << "\n";
    std::size_t id_width = 21;  // ids line up, and a long one still leaves a space
    for (const auto& r : results) id_width = std::max(id_width, r.id.size());
    for (const auto& r : results) {
        out << std::left << std::setw(11) << to_string(r.verdict) << std::setw(static_cast<int>(id_width) + 1) << r.id
            << r.title << " [" << to_string(r.level) << ", " << r.clause << "]\n";
        if (r.verdict != Verdict::pass) {
            if (!r.expected.empty()) out << "             expected: " << r.expected << "\n";
            out << "             observed: " << r.observed << "\n";
        }
        if (!r.note.empty()) out << "             note: " << r.note << "\n";
    }
    const auto c = count(results);
    out << c.pass << " passed, " << c.non_strict << " non-strict, " << c.fail << " failed, " << c.info << " info\n";
    return out.str();
}

std::string format_json(const std::vector<CheckResult>& results, std::string_view target) {
    boost::json::array checks;
    for (const auto& r : results) {
        checks.push_back(boost::json::object{{"id", r.id},
                                             {"title", r.title},
                                             {"clause", r.clause},
                                             {"level", to_string(r.level)},
                                             {"verdict", to_string(r.verdict)},
                                             {"expected", r.expected},
                                             {"observed", r.observed},
                                             {"note", r.note}});
    }
    const auto c = count(results);
    boost::json::object report{{"target", target},
                               {"passed", c.pass},
                               {"non_strict", c.non_strict},
                               {"failed", c.fail},
                               {"info", c.info},
                               {"checks", std::move(checks)}};
    return boost::json::serialize(report) + "\n";
}

std::string format_junit(const std::vector<CheckResult>& results, std::string_view suite, bool strict) {
    const auto c = count(results);
    const std::size_t failures = c.fail + (strict ? c.non_strict : 0);
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<testsuite name=\"" << xml::escape(suite) << "\" tests=\"" << results.size() << "\" failures=\""
        << failures << "\" errors=\"0\" skipped=\"0\">\n";
    for (const auto& r : results) {
        out << "  <testcase classname=\"" << xml::escape(suite) << "\" name=\"" << xml::escape(r.id) << "\">";
        const std::string detail = "[" + std::string(to_string(r.level)) + ", " + r.clause + "] " + r.title +
                                   "\nexpected: " + r.expected + "\nobserved: " + r.observed +
                                   (r.note.empty() ? "" : "\nnote: " + r.note);
        if (r.verdict == Verdict::fail || (strict && r.verdict == Verdict::non_strict)) {
            out << "\n    <failure type=\"" << (r.verdict == Verdict::fail ? "fail" : "non-strict") << "\" message=\""
                << xml::escape(r.title) << "\">" << xml::escape(detail) << "</failure>\n  ";
        } else if (r.verdict != Verdict::pass) {
            out << "\n    <system-out>" << xml::escape(std::string(to_string(r.verdict)) + ": " + detail)
                << "</system-out>\n  ";
        } else if (!r.note.empty()) {
            out << "\n    <system-out>" << xml::escape(r.note) << "</system-out>\n  ";
        }
        out << "</testcase>\n";
    }
    out << "</testsuite>\n";
    return out.str();
}

}  // namespace evsim::conformance
