#include "sse_resume.hpp"

#include <algorithm>
#include <optional>
#include <charconv>
#include <set>
#include <thread>

#include "check_parts.hpp"
#include "evsim/core/sse_parser.hpp"

namespace evsim::conformance::detail {

namespace {

using namespace std::chrono_literals;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

// The distinct last event IDs of a stream, in order, with when each first arrived (the piece that
// completed its event).
struct IdTimeline : sse::ParserHandler {
    void on_event(const sse::Event& event) override {
        if (event.last_event_id.empty() || (!ids.empty() && ids.back() == event.last_event_id) || ids.size() >= 100'000)
            return;
        ids.emplace_back(event.last_event_id);
        times.push_back(now);
    }
    std::vector<std::string> ids;
    std::vector<std::chrono::microseconds> times;
    std::chrono::microseconds now{0};
};

IdTimeline timeline(const Capture& capture) {
    IdTimeline t;
    sse::Parser parser(t);
    for (const auto& piece : capture.body) {
        t.now = piece.at;
        if (parser.feed(piece.bytes) != sse::ParseError::none) break;
    }
    return t;
}

std::optional<std::uint64_t> number(const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::string ms_text(milliseconds time) { return std::to_string(time.count()) + " ms"; }

}  // namespace

CheckResult resume_result(CaptureRequest request, const Capture& first) {
    const std::string title = "a reconnection with Last-Event-ID goes on after that event";
    const std::string clause = "WHATWG HTML 9.2.3 (reestablishing the connection: Last-Event-ID)";
    const std::string expected = "the first event after reconnecting is the one after the last id";
    const auto info = [&](bool ok, const std::string& observed) {
        return make_result("sse.resume", title, clause, Level::info, ok, expected, observed);
    };
    const auto seen = timeline(first);
    if (seen.ids.empty()) return info(false, "no event carried an id: a reconnecting client cannot say where it was");

    // Pause about two event intervals (0.1 to 3 s): events go on meanwhile, as they do while a
    // client reconnects. With one id, or events rarer than the pause allows, nothing may have
    // been missed, and a next id proves nothing.
    std::optional<milliseconds> interval;
    if (seen.ids.size() >= 2)
        interval = duration_cast<milliseconds>((seen.times.back() - seen.times.front()) /
                                               static_cast<long>(seen.ids.size() - 1));
    const milliseconds pause = std::clamp(interval ? 2 * *interval : milliseconds(3000), milliseconds(100), milliseconds(3000));
    const bool conclusive = interval && pause >= 3 * *interval / 2;
    std::this_thread::sleep_for(pause);

    const std::string& last = seen.ids.back();
    request.headers.emplace_back("Last-Event-ID", last);
    request.observe = std::clamp(pause + 200ms, milliseconds(300), milliseconds(3000));
    Capture second;
    try {
        second = capture_stream(request);
    } catch (const std::exception& e) {
        return info(false, "the reconnection failed: " + std::string(e.what()));
    }
    if (second.status != 200) return info(false, "the reconnection was answered " + std::to_string(second.status));
    const auto resumed = timeline(second);
    const std::string after = "after Last-Event-ID: " + last + " and a pause of " + ms_text(pause) + ", ";
    if (resumed.ids.empty()) return info(false, after + "no event with an id within " + ms_text(request.observe));
    const std::string& next = resumed.ids.front();
    if (std::find(seen.ids.begin(), seen.ids.end(), next) != seen.ids.end())
        return info(false, after + "the stream went on at id " + next + ", which the client had already seen: it gets duplicates");
    const auto from = number(last);
    const auto to = number(next);
    if (!from || !to) return info(false, after + "the stream went on at id " + next + " (ids are not numbers: only repeats can be told)");
    if (*to > *from + 1)
        return info(false, after + "the stream went on at id " + next + ": " + std::to_string(*to - *from - 1) +
                               " event(s) sent meanwhile were not replayed (lost on reconnecting)");
    if (*to <= *from) return info(false, after + "the stream went back to id " + next);
    if (!conclusive)
        return info(false, after + "the stream went on at id " + next + ", the next one; events come " +
                               (interval ? "every " + ms_text(*interval) : std::string("too rarely")) +
                               ", so none may have been missed: resumption is not proven");
    return info(true, after + "the stream went on at id " + next + ", the next one");
}

}  // namespace evsim::conformance::detail
