// evsim check's reports: text with expected/observed for what did not pass, JSON, and JUnit XML
// that CI systems read (escaped, failures counted, NON-STRICT a failure only when strict).
#include <gtest/gtest.h>

#include "evsim/conformance/check_result.hpp"

namespace evsim::conformance {
namespace {

std::vector<CheckResult> sample() {
    return {
        {"sse.status", "the answer is 200 OK", "HTML 9.2.3", Level::must, Verdict::pass, "200", "200", ""},
        {"sse.cache", "no caching", "HTML 9.2.7", Level::should, Verdict::non_strict, "no-cache", "max-age=60", ""},
        {"sse.content-type", "text/event-stream", "HTML 9.2.3", Level::must, Verdict::fail, "text/event-stream",
         "text/html; <b>&\"'", ""},
        {"sse.events", "events arrived", "HTML 9.2.6", Level::info, Verdict::info, "at least one", "0 events",
         "1 reconnect"},
    };
}

TEST(CheckReportTest, TextShowsExpectedAndObservedWhereTheyDiffer) {
    const auto text = format_text(sample(), "http://h/e");
    EXPECT_EQ(text.rfind("evsim check: http://h/e\nPASS       sse.status            the answer is 200 OK [MUST, HTML 9.2.3]\n", 0), 0U)
        << text;
    EXPECT_NE(text.find("NON-STRICT sse.cache"), std::string::npos);
    EXPECT_NE(text.find("             expected: no-cache\n             observed: max-age=60\n"), std::string::npos);
    EXPECT_NE(text.find("1 passed, 1 non-strict, 1 failed, 1 info\n"), std::string::npos);
    EXPECT_NE(text.find("observed: 0 events\n             note: 1 reconnect\n"), std::string::npos) << text;
    // A long id still leaves a space before the title, and the others line up with it.
    auto results = sample();
    results[0].id = "parse.crlf-split-across-writes";
    const auto wide = format_text(results, "t");
    EXPECT_NE(wide.find("PASS       parse.crlf-split-across-writes the answer"), std::string::npos) << wide;
    EXPECT_NE(wide.find("NON-STRICT sse.cache                      no caching"), std::string::npos) << wide;
    EXPECT_TRUE(failed(sample()));
    EXPECT_FALSE(failed({sample()[0], sample()[1], sample()[3]}));
}

TEST(CheckReportTest, Json) {
    const auto json = format_json(sample(), "http://h/e");
    EXPECT_EQ(json.rfind("{\"target\":\"http://h/e\",\"passed\":1,\"non_strict\":1,\"failed\":1,\"info\":1,", 0), 0U) << json;
    EXPECT_NE(json.find("\"observed\":\"text/html; <b>&\\\"'\""), std::string::npos) << json;
}

TEST(CheckReportTest, JunitCountsFailuresAndEscapes) {
    const auto xml = format_junit(sample(), "sse http://h/e");
    EXPECT_NE(xml.find("<testsuite name=\"sse http://h/e\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"0\">"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<failure type=\"fail\" message=\"text/event-stream\">"), std::string::npos);
    EXPECT_NE(xml.find("text/html; &lt;b&gt;&amp;&quot;&apos;"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<system-out>NON-STRICT: "), std::string::npos);
    EXPECT_NE(xml.find("<testcase classname=\"sse http://h/e\" name=\"sse.status\"></testcase>"), std::string::npos);
    auto noted = sample();
    noted[0].note = "1998 events/s";
    EXPECT_NE(format_junit(noted, "s").find("name=\"sse.status\">\n    <system-out>1998 events/s</system-out>"),
              std::string::npos);
    const auto strict = format_junit(sample(), "s", true);
    EXPECT_NE(strict.find("failures=\"2\""), std::string::npos);
    EXPECT_NE(strict.find("<failure type=\"non-strict\""), std::string::npos);
}

}  // namespace
}  // namespace evsim::conformance
