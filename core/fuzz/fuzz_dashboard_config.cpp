// libFuzzer target for the config.js reader (token scan, JS literal parser, entry mapping, table):
// any bytes must give a plan or a ScenarioError that starts with the file name and a line:column,
// never a crash, a hang or another exception. A plan must hold together: one entry per array
// element, producers only for served entries, unique producer names, and a table that renders.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "evsim/core/dashboard_config.hpp"
#include "evsim/core/js_literal.hpp"
#include "evsim/core/utf8.hpp"

namespace {

void check_plan(const evsim::dashboard::DashboardPlan& plan) {
    std::size_t served = 0;
    std::set<std::string> names;
    for (std::size_t i = 0; i < plan.entries.size(); ++i) {
        const auto& e = plan.entries[i];
        if (e.index != i + 1) std::abort();
        if (e.served == e.reason.empty()) continue;  // exactly one of: served, a reason
        std::abort();
    }
    for (const auto& e : plan.entries) served += e.served ? 1 : 0;
    if (served != plan.scenario.producers.size()) std::abort();
    for (const auto& p : plan.scenario.producers)
        if (!names.insert(p.name).second) std::abort();
    const std::string table = evsim::dashboard::format_entries(plan.entries);
    for (const char c : table)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n') std::abort();  // nothing that drives a terminal
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(bytes), size);
    try {
        check_plan(evsim::dashboard::plan_from_dashboard_config(text, "/fuzz/config.js"));
    } catch (const evsim::scenario::ScenarioError& e) {
        if (std::string_view(e.what()).substr(0, 16) != "/fuzz/config.js:") std::abort();
    }
    // The literal parser alone, on the same bytes: a value whose strings are valid UTF-8, or a SyntaxError.
    try {
        const evsim::js::Value v = evsim::js::parse_literal(text);
        if (v.is_string() && !evsim::utf8::is_valid(v.as_string())) std::abort();
    } catch (const evsim::js::SyntaxError& e) {
        if (e.where().line < 1 || e.where().column < 1) std::abort();
    }
    return 0;
}
