// The client matrix: JSON reports read back strictly (they are files from elsewhere), and the page
// shows each client's verdict per case, escaped, with "not run" where a report lacks a case.
#include <gtest/gtest.h>

#include "evsim/conformance/check_matrix.hpp"

namespace evsim::conformance {
namespace {

CheckResult result(std::string id, Verdict verdict, std::string observed = "seen") {
    CheckResult r;
    r.id = std::move(id);
    r.title = "title of " + r.id;
    r.clause = "clause";
    r.verdict = verdict;
    r.expected = "wanted";
    r.observed = std::move(observed);
    return r;
}

TEST(CheckMatrix, ReadsBackWhatFormatJsonWrote) {
    auto fail = result("parse.b", Verdict::fail, "got <b> & more");
    fail.note = "a note";
    fail.level = Level::should;
    const auto json = format_json({result("parse.a", Verdict::pass), fail}, "client: x");
    const auto report = parse_check_report(json, "x.json");
    EXPECT_EQ(report.client, "client: x");
    ASSERT_EQ(report.results.size(), 2U);
    EXPECT_EQ(report.results[1].id, "parse.b");
    EXPECT_EQ(report.results[1].level, Level::should);
    EXPECT_EQ(report.results[1].verdict, Verdict::fail);
    EXPECT_EQ(report.results[1].observed, "got <b> & more");
    EXPECT_EQ(report.results[1].note, "a note");
}

TEST(CheckMatrix, RefusesWhatIsNotAReportAndSaysWhere) {
    const std::pair<std::string, std::string> bad[] = {
        {"not json", "r.json: not JSON"},
        {"[]", "r.json: not an evsim check report"},
        {R"({"checks":[]})", R"(r.json: "target" is missing)"},
        {R"({"target":"t"})", R"(r.json: "checks" is missing or not a list)"},
        {R"({"target":"t","checks":[1]})", "r.json: check 1: not an object"},
        {R"({"target":"t","checks":[{"id":"a","level":"MUST","verdict":"MAYBE"}]})", "r.json: check 1: verdict 'MAYBE'"},
        {R"({"target":"t","checks":[{"id":"a","level":"MAY","verdict":"PASS"}]})", "r.json: check 1: level 'MAY'"},
        {R"({"target":"t","checks":[{"level":"MUST","verdict":"PASS"}]})", R"(r.json: check 1: "id" is missing)"},
        {R"({"target":"t","checks":[{"id":7,"level":"MUST","verdict":"PASS"}]})", R"("id" is not a string)"},
    };
    for (const auto& [json, message] : bad) {
        try {
            parse_check_report(json, "r.json");
            ADD_FAILURE() << "accepted: " << json;
        } catch (const ReportError& e) {
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    }
}

TEST(CheckMatrix, ShowsEveryCaseByEveryClientEscaped) {
    const std::vector<ClientReport> reports{
        {"client: evsim listen", {result("parse.a", Verdict::pass), result("parse.b", Verdict::fail, "<script>x</script>")}},
        {"client: <npm>", {result("parse.a", Verdict::non_strict), result("browser.c", Verdict::info)}},
    };
    const auto html = format_matrix_html(reports);
    EXPECT_NE(html.find("<th>client: evsim listen</th><th>client: &lt;npm&gt;</th>"), std::string::npos) << html;
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
    // Rows in first-seen order: parse.a, parse.b, browser.c.
    const auto a = html.find("<code>parse.a</code>");
    const auto b = html.find("<code>parse.b</code>");
    const auto c = html.find("<code>browser.c</code>");
    ASSERT_NE(c, std::string::npos);
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    // parse.b is not in the second report; browser.c is not in the first.
    EXPECT_NE(html.find("<td class=\"none\">not run</td>", b), std::string::npos);
    EXPECT_NE(html.find("<td class=\"nonstrict\"><details><summary>NON-STRICT</summary>"), std::string::npos);
    EXPECT_NE(html.find("<th>1 pass, 0 non-strict, 1 fail, 0 info</th><th>0 pass, 1 non-strict, 0 fail, 1 info</th>"),
              std::string::npos);
}

}  // namespace
}  // namespace evsim::conformance
