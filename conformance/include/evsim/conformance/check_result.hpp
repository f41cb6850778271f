// One check of `evsim check` and how it came out, with the three report forms CI systems read:
// text for people, JSON for tools, JUnit XML for test dashboards (one testcase per check).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace evsim::conformance {

// How strongly the spec asks for what a check tests.
enum class Level { must, should, info };

// PASS; NON-STRICT: a SHOULD not met; FAIL: a MUST not met; INFO: reported, not judged.
enum class Verdict { pass, non_strict, fail, info };

struct CheckResult {
    std::string id;        // "sse.content-type"
    std::string title;     // "Content-Type is text/event-stream"
    std::string clause;    // "WHATWG HTML 9.2.3 (EventSource: processing the response)"
    Level level = Level::must;
    Verdict verdict = Verdict::pass;
    std::string expected;
    std::string observed;
    std::string note;  // shown with every verdict (a rate measured, say); empty: none
};

std::string_view to_string(Level level) noexcept;
std::string_view to_string(Verdict verdict) noexcept;

// A failed MUST: what makes `evsim check` exit 1.
bool failed(const std::vector<CheckResult>& results) noexcept;

// "PASS  sse.status  200 OK" lines with the expected and observed side by side where they differ,
// then "N passed, N non-strict, N failed, N info".
std::string format_text(const std::vector<CheckResult>& results, std::string_view target);
std::string format_json(const std::vector<CheckResult>& results, std::string_view target);
// A <testsuite> named after `suite`, one <testcase> per check; FAIL is a <failure>, NON-STRICT a
// <failure type="non-strict"> only when `strict`, INFO a <system-out>.
std::string format_junit(const std::vector<CheckResult>& results, std::string_view suite, bool strict = false);

}  // namespace evsim::conformance
