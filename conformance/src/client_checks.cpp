#include "evsim/conformance/client_checks.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <atomic>
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "browser_page.hpp"
#include "browser_run.hpp"
#include "check_parts.hpp"
#include "evsim/conformance/adapter.hpp"
#include "evsim/conformance/scripted_server_thread.hpp"

namespace evsim::conformance {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// JSON-quoted, long texts cut (a report line must stay readable).
std::string quoted(const std::string& text) {
    if (text.size() <= 80) return boost::json::serialize(boost::json::string(text));
    return boost::json::serialize(boost::json::string(text.substr(0, 60))) + "... (" + std::to_string(text.size()) +
           " bytes)";
}

std::string describe(const ExpectedEvent& e) {
    return e.type + " " + quoted(e.data) + " id " + quoted(e.last_event_id);
}

std::string describe(const Observation& o) {
    switch (o.kind) {
        case Observation::Kind::open: return "open";
        case Observation::Kind::error: return "error (readyState " + std::to_string(o.ready_state) + ")";
        case Observation::Kind::message: return o.type + " " + quoted(o.data) + " id " + quoted(o.last_event_id);
    }
    return "?";
}

std::string ms(milliseconds time) { return std::to_string(time.count()) + " ms"; }

// What the client did, judged against one case, as lines of "expected" and "observed" and the
// problems found.
class Judgement {
public:
    void expect(const std::string& text) { expected_.push_back(text); }
    void observe(const std::string& text) { observed_.push_back(text); }
    void problem(const std::string& text) { problems_.push_back(text); }
    bool ok() const { return problems_.empty(); }

    std::string expected() const { return join(expected_); }
    // The problems first, then what was seen.
    std::string observed() const {
        if (problems_.empty()) return join(observed_);
        return join(problems_) + (observed_.empty() ? "" : " (" + join(observed_) + ")");
    }

private:
    static std::string join(const std::vector<std::string>& parts) {
        std::string out;
        for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
        return out;
    }
    std::vector<std::string> expected_, observed_, problems_;
};

// Observations of one kind from the EventSources (WebSocket opens are counted apart).
std::vector<const Observation*> of_kind(const std::vector<Observation>& all, Observation::Kind kind,
                                        Observation::Channel channel = Observation::Channel::eventsource) {
    std::vector<const Observation*> out;
    for (const auto& o : all)
        if (o.kind == kind && o.channel == channel) out.push_back(&o);
    return out;
}

void judge_events(const std::vector<ExpectedEvent>& expected, const std::vector<const Observation*>& messages,
                  Judgement& j) {
    if (expected.size() <= 3) {
        std::string list;
        for (const auto& e : expected) list += (list.empty() ? "" : ", ") + describe(e);
        j.expect(std::to_string(expected.size()) + " message(s)" + (list.empty() ? "" : ": " + list));
    } else {
        j.expect(std::to_string(expected.size()) + " messages in order");
    }
    j.observe(std::to_string(messages.size()) + " message(s)");
    const std::size_t common = std::min(expected.size(), messages.size());
    for (std::size_t i = 0; i < common; ++i) {
        const auto& e = expected[i];
        const auto& o = *messages[i];
        if (e.type != o.type || e.data != o.data || e.last_event_id != o.last_event_id) {
            j.problem("message " + std::to_string(i + 1) + ": expected " + describe(e) + ", observed " + describe(o));
            return;
        }
    }
    if (messages.size() < expected.size())
        j.problem("only " + std::to_string(messages.size()) + " of " + std::to_string(expected.size()) +
                  " messages; missing: " + describe(expected[messages.size()]));
    else if (messages.size() > expected.size())
        j.problem(std::to_string(messages.size() - expected.size()) + " unexpected message(s), first: " +
                  describe(*messages[expected.size()]));
}

bool header_ok(const ExpectedHeader& h, const RecordedRequest& request, std::string& seen) {
    const auto value = request.header(h.name);
    seen = value ? quoted(*value) : "absent";
    switch (h.test) {
        case ExpectedHeader::Test::absent: return !value;
        case ExpectedHeader::Test::equals: return value && *value == h.value;
        case ExpectedHeader::Test::contains: return value && value->find(h.value) != std::string::npos;
    }
    return false;
}

std::string header_expectation(const ExpectedHeader& h) {
    const std::string where = h.name + " on request " + std::to_string(h.attempt);
    switch (h.test) {
        case ExpectedHeader::Test::absent: return where + " absent";
        case ExpectedHeader::Test::equals: return where + " = " + quoted(h.value);
        case ExpectedHeader::Test::contains: return where + " contains " + quoted(h.value);
    }
    return where;
}

void judge_wire(const ClientCase& c, const std::vector<RecordedRequest>& requests, Judgement& j) {
    if (c.requests) {
        j.expect(std::to_string(*c.requests) + " request(s)");
        if (requests.size() != *c.requests)
            j.problem(std::to_string(requests.size()) + " request(s) instead of " + std::to_string(*c.requests));
    }
    if (c.reconnect_min || c.reconnect_max) {
        j.expect("reconnect after " + (c.reconnect_min ? ms(*c.reconnect_min) : std::string("0 ms")) + " .. " +
                 (c.reconnect_max ? ms(*c.reconnect_max) : std::string("any time")));
        if (requests.size() < 2) j.problem("no reconnection");
        for (std::size_t i = 1; i < requests.size(); ++i) {
            const auto gap = std::chrono::duration_cast<milliseconds>(requests[i].received_at - requests[i - 1].received_at);
            j.observe("request " + std::to_string(i + 1) + " after " + ms(gap));
            if ((c.reconnect_min && gap < *c.reconnect_min) || (c.reconnect_max && gap > *c.reconnect_max))
                j.problem("request " + std::to_string(i + 1) + " came " + ms(gap) + " after the previous one");
        }
    }
    for (const auto& h : c.request_headers) {
        j.expect(header_expectation(h));
        if (h.attempt > requests.size()) {
            j.problem("no request " + std::to_string(h.attempt) + " to check " + h.name + " on");
            continue;
        }
        std::string seen;
        if (!header_ok(h, requests[h.attempt - 1], seen))
            j.problem(h.name + " on request " + std::to_string(h.attempt) + " was " + seen);
    }
}

// Everything that can be counted has reached its expected number: the run may end soon.
bool complete(const ClientCase& c, const std::optional<std::vector<ExpectedEvent>>& events,
              const std::vector<Observation>& observed, std::size_t requests) {
    if (events && of_kind(observed, Observation::Kind::message).size() < events->size()) return false;
    if (c.opens && of_kind(observed, Observation::Kind::open).size() < *c.opens) return false;
    if (c.websocket_opens &&
        of_kind(observed, Observation::Kind::open, Observation::Channel::websocket).size() < *c.websocket_opens)
        return false;
    if (c.requests && requests < *c.requests) return false;
    if (c.final_ready_state) {
        const auto errors = of_kind(observed, Observation::Kind::error);
        if (errors.empty() || errors.back()->ready_state != *c.final_ready_state) return false;
    }
    return true;
}

bool interrupted(const ClientRunOptions& options) { return options.cancelled && options.cancelled->load(); }

std::string tail_of(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text.size() > 300 ? text.substr(text.size() - 300) : text;
}

// Watches the client (an AdapterRun or a BrowserRun) until every counted expectation is met and
// the case's watch time and the settle time have passed, or until the case's timeout; returns
// what went wrong with the client's harness itself, if anything.
template <class Run>
std::string watch_client(Run& run, const ClientCase& c, const std::optional<std::vector<ExpectedEvent>>& expected_events,
                         const ScriptedServer& server, const ClientRunOptions& options,
                         std::vector<Observation>& observed, Judgement& j) {
    const auto started = Clock::now();
    const auto deadline = started + c.timeout;
    const auto watch_until = started + c.watch;
    std::optional<Clock::time_point> settle_until;
    bool output_open = true;
    while (output_open && Clock::now() < deadline && !interrupted(options)) {
        output_open = run.read_until(std::min(deadline, Clock::now() + milliseconds(20)));
        if (!settle_until && complete(c, expected_events, run.observations(), server.requests().size()))
            settle_until = Clock::now() + options.settle;
        if (settle_until && Clock::now() >= std::max(*settle_until, watch_until)) break;
    }
    run.stop();
    observed = run.observations();
    for (const auto& p : run.problems()) j.problem("the adapter printed a line that is no observation (" + p + ")");
    if (observed.empty() && run.exit_code() && *run.exit_code() != 0) {
        const std::string tail = tail_of(run.stderr_tail());
        return "the adapter exited with " + std::to_string(*run.exit_code()) + (tail.empty() ? std::string() : ": " + tail);
    }
    return {};
}

// The rate between the first and the last message: on the client's clock when it gave one.
double sustained_rate(const std::vector<const Observation*>& messages) {
    if (messages.size() < 2) return 0;
    double span = 0;
    if (messages.front()->client_time_ms && messages.back()->client_time_ms)
        span = (*messages.back()->client_time_ms - *messages.front()->client_time_ms) / 1000.0;
    else
        span = std::chrono::duration<double>(messages.back()->at - messages.front()->at).count();
    return span > 0 ? static_cast<double>(messages.size() - 1) / span : 0;
}

}  // namespace

std::vector<BodyPiece> throughput_body(const Throughput& throughput) {
    // Pieces at least 1 ms apart (the server's delay granularity), as many events each as the rate needs.
    const auto per_piece = static_cast<std::size_t>(std::max(1.0, std::ceil(throughput.rate / 1000.0)));
    const auto gap = milliseconds(static_cast<long long>(std::llround(1000.0 * static_cast<double>(per_piece) / throughput.rate)));
    std::vector<BodyPiece> body;
    for (std::size_t i = 1; i <= throughput.events;) {
        BodyPiece piece;
        piece.delay = body.empty() ? milliseconds(0) : gap;
        for (std::size_t k = 0; k < per_piece && i <= throughput.events; ++k, ++i)
            piece.bytes += "id: " + std::to_string(i) + "\ndata: " + std::to_string(i) + "\n\n";
        body.push_back(std::move(piece));
    }
    return body;
}

CheckResult run_client_case(const ClientCase& c, const ClientRunOptions& options) {
    if (c.browser && options.browser.empty()) {
        auto result = detail::make_result(c.id, c.title, c.clause, c.level, false, "a browser page",
                                          "not run: the case needs a browser (--browser)");
        result.verdict = Verdict::info;
        return result;
    }
    auto attempts = c.attempts;
    // A throughput case's expectations are its generated events; every other case's are its own.
    std::optional<std::vector<ExpectedEvent>> expected_events = c.events;
    if (c.throughput) {
        attempts.front().body = throughput_body(*c.throughput);
        expected_events.emplace();
        for (std::size_t i = 1; i <= c.throughput->events; ++i)
            expected_events->push_back({"message", std::to_string(i), std::to_string(i)});
    }

    // In a browser the case server also serves the page, and observations come back to a sink.
    std::optional<ObservationSink> sink;
    HarnessHandler harness;
    auto page_loaded = std::make_shared<std::atomic<bool>>(false);
    if (!options.browser.empty()) {
        sink.emplace();
        PageConfig config{"/" + c.id, c.listen, c.browser.value_or(BrowserPage{}), sink->url()};
        harness = [inner = case_page_harness(browser_page_html(config)), page_loaded](const HarnessRequest& r) {
            if (r.target == kPagePath) *page_loaded = true;
            return inner(r);
        };
    }
    ScriptedServerThread server(attempts, std::move(harness));
    Judgement j;
    std::vector<Observation> observed;
    std::string adapter_trouble;
    try {
        if (sink) {
            BrowserRun browser(options.browser, server.server().url(kPagePath), *sink);
            const auto loading_until = Clock::now() + options.browser_start;
            while (!*page_loaded && !interrupted(options) && Clock::now() < loading_until &&
                   browser.read_until(Clock::now() + milliseconds(20))) {
            }
            if (*page_loaded) adapter_trouble = watch_client(browser, c, expected_events, server.server(), options, observed, j);
            else adapter_trouble = "the browser did not load the case page within " + ms(options.browser_start);
            if (!*page_loaded) browser.stop();
            if (!*page_loaded && browser.exit_code()) adapter_trouble += " (it exited with " + std::to_string(*browser.exit_code()) + ": " + tail_of(browser.stderr_tail()) + ")";
        } else {
            const std::string url = server.server().url("/" + c.id);
            AdapterRun adapter(options.adapter, url, c.listen);
            adapter_trouble = watch_client(adapter, c, expected_events, server.server(), options, observed, j);
        }
    } catch (const std::runtime_error& e) {
        adapter_trouble = e.what();
    }
    const auto requests = server.server().requests();
    const auto concurrent = server.server().max_concurrent();
    server.server().stop();
    if (interrupted(options)) {
        auto result = detail::make_result(c.id, c.title, c.clause, c.level, false, "the case run to its end",
                                          "interrupted before the case ended");
        result.verdict = Verdict::info;
        return result;
    }
    if (!adapter_trouble.empty()) j.problem(adapter_trouble);

    if (expected_events) judge_events(*expected_events, of_kind(observed, Observation::Kind::message), j);
    if (c.opens) {
        j.expect(std::to_string(*c.opens) + " open(s)");
        const auto opens = of_kind(observed, Observation::Kind::open).size();
        if (opens != *c.opens) j.problem(std::to_string(opens) + " open(s) instead of " + std::to_string(*c.opens));
    }
    if (c.websocket_opens) {
        j.expect(std::to_string(*c.websocket_opens) + " WebSocket open(s)");
        const auto opens = of_kind(observed, Observation::Kind::open, Observation::Channel::websocket).size();
        if (opens != *c.websocket_opens)
            j.problem(std::to_string(opens) + " WebSocket open(s) instead of " + std::to_string(*c.websocket_opens));
    }
    if (c.concurrent) {
        j.expect(std::to_string(*c.concurrent) + " stream(s) open at once on the server, at the most");
        j.observe(std::to_string(concurrent) + " at once");
        if (concurrent != *c.concurrent)
            j.problem("the server had " + std::to_string(concurrent) + " stream(s) open at once, not " +
                      std::to_string(*c.concurrent));
    }
    if (c.final_ready_state) {
        j.expect(*c.final_ready_state == 2 ? "closed for good (error, readyState 2)" : "reconnecting (error, readyState 0)");
        const auto errors = of_kind(observed, Observation::Kind::error);
        if (errors.empty()) j.problem("no error observed");
        else if (errors.back()->ready_state != *c.final_ready_state)
            j.problem("the last error had readyState " + std::to_string(errors.back()->ready_state));
    }
    judge_wire(c, requests, j);

    std::string note;
    if (c.throughput) {
        const auto messages = of_kind(observed, Observation::Kind::message);
        if (messages.size() >= 2) {
            const double rate = sustained_rate(messages);
            std::ostringstream text;
            text.precision(0);
            text << std::fixed << rate << " events/s sustained (offered " << c.throughput->rate << "/s)";
            note = text.str();
            j.observe(note);
        }
    }
    if (c.browser) {
        // What the page opened and what reached the server: for the six-connection case the point.
        // Per EventSource of the page (reconnections open one source again; an error is no pending).
        const auto sources = c.browser->event_sources;
        std::set<int> opened, failed;
        for (const auto* o : of_kind(observed, Observation::Kind::open)) opened.insert(o->source);
        for (const auto* o : of_kind(observed, Observation::Kind::error)) failed.insert(o->source);
        std::set<int> settled = opened;
        settled.insert(failed.begin(), failed.end());
        const std::size_t pending = sources > settled.size() ? sources - settled.size() : 0;
        std::string summary = std::to_string(opened.size()) + " of " + std::to_string(sources) + " EventSource(s) opened";
        if (!failed.empty()) summary += "; " + std::to_string(failed.size()) + " reported an error";
        if (pending > 0)
            summary += "; " + std::to_string(pending) + " stayed pending (CONNECTING, no error) for the whole watch";
        summary += "; the server had at most " + std::to_string(concurrent) + " stream(s) open at once";
        if (c.browser->websockets > 0) {
            const auto ws = of_kind(observed, Observation::Kind::open, Observation::Channel::websocket).size();
            summary += "; " + std::to_string(ws) + " of " + std::to_string(c.browser->websockets) +
                       " WebSocket(s) to the same host opened beside them";
        }
        note = summary + (c.explain.empty() ? "" : ". " + c.explain);
    } else if (!c.explain.empty()) {
        note = c.explain;
    }
    if (j.ok() && observed.size() <= 12) {
        std::string trace;
        for (const auto& o : observed) trace += (trace.empty() ? "" : ", ") + describe(o);
        if (!trace.empty()) j.observe("seen: " + trace);
    }
    auto result = detail::make_result(c.id, c.title, c.clause, c.level, j.ok(), j.expected(), j.observed());
    result.note = std::move(note);
    return result;
}

}  // namespace evsim::conformance
