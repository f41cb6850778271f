#include "sse_resume.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <thread>

#include "check_parts.hpp"
#include "evsim/core/sse_parser.hpp"

namespace evsim::conformance::detail {

namespace {

using namespace std::chrono_literals;

// The first non-empty last event ID of a stream.
struct FirstId : sse::ParserHandler {
    void on_event(const sse::Event& event) override {
        if (id.empty() && !event.last_event_id.empty()) id = std::string(event.last_event_id);
    }
    std::string id;
};

std::optional<std::uint64_t> number(const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

CheckResult resume_result(CaptureRequest request, const Capture& first, const std::vector<std::string>& ids) {
    const std::string title = "a reconnection with Last-Event-ID goes on after that event";
    const std::string clause = "WHATWG HTML 9.2.3 (reestablishing the connection: Last-Event-ID)";
    const std::string expected = "the first event after reconnecting is the one after the last id";
    const auto info = [&](bool ok, const std::string& observed) {
        return make_result("sse.resume", title, clause, Level::info, ok, expected, observed);
    };
    if (ids.empty()) return info(false, "no event carried an id: a reconnecting client cannot say where it was");

    // Events go on while a client reconnects: wait about three of the stream's intervals (0.1 to
    // 1 s), so a server that ignores Last-Event-ID shows a gap.
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(first.body.empty() || first.body.size() < 2
        ? std::chrono::microseconds(100ms)
        : 3 * (first.body.back().at - first.body.front().at) / static_cast<long>(first.body.size() - 1));
    wait = std::clamp(wait, std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
    std::this_thread::sleep_for(wait);

    const std::string& last = ids.back();
    request.headers.emplace_back("Last-Event-ID", last);
    request.observe = std::clamp(request.observe, std::chrono::milliseconds(300), std::chrono::milliseconds(2000));
    Capture second;
    try {
        second = capture_stream(request);
    } catch (const std::exception& e) {
        return info(false, "the reconnection failed: " + std::string(e.what()));
    }
    if (second.status != 200) return info(false, "the reconnection was answered " + std::to_string(second.status));
    FirstId found;
    sse::Parser parser(found);
    (void)parser.feed(second.body_bytes());
    const std::string after = "after Last-Event-ID: " + last + ", ";
    if (found.id.empty())
        return info(false, after + "no event with an id within " + std::to_string(request.observe.count()) + " ms");
    if (std::find(ids.begin(), ids.end(), found.id) != ids.end())
        return info(false, after + "the stream went on at id " + found.id +
                               ", which the client had already seen: it gets duplicates");
    const auto from = number(last);
    const auto to = number(found.id);
    if (from && to && *to > *from + 1)
        return info(false, after + "the stream went on at id " + found.id + ": " + std::to_string(*to - *from - 1) +
                               " event(s) sent meanwhile were not replayed (lost on reconnecting)");
    if (from && to && *to <= *from)
        return info(false, after + "the stream went back to id " + found.id);
    return info(true, after + "the stream went on at id " + found.id +
                          (from && to ? ", the next one" : " (ids are not numbers: only repeats can be told)"));
}

}  // namespace evsim::conformance::detail
