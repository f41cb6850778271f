#include "evsim/conformance/client_checks.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <sstream>

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

std::vector<const Observation*> of_kind(const std::vector<Observation>& all, Observation::Kind kind) {
    std::vector<const Observation*> out;
    for (const auto& o : all)
        if (o.kind == kind) out.push_back(&o);
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
    if (c.requests && requests < *c.requests) return false;
    if (c.final_ready_state) {
        const auto errors = of_kind(observed, Observation::Kind::error);
        if (errors.empty() || errors.back()->ready_state != *c.final_ready_state) return false;
    }
    return true;
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
    auto attempts = c.attempts;
    // A throughput case's expectations are its generated events; every other case's are its own.
    std::optional<std::vector<ExpectedEvent>> expected_events = c.events;
    if (c.throughput) {
        attempts.front().body = throughput_body(*c.throughput);
        expected_events.emplace();
        for (std::size_t i = 1; i <= c.throughput->events; ++i)
            expected_events->push_back({"message", std::to_string(i), std::to_string(i)});
    }

    ScriptedServerThread server(attempts);
    const std::string url = "http://127.0.0.1:" + std::to_string(server.server().port()) + "/" + c.id;
    Judgement j;
    std::vector<Observation> observed;
    std::string adapter_trouble;
    const auto started = Clock::now();
    try {
        AdapterRun adapter(options.adapter, url, c.listen);
        const auto deadline = started + c.timeout;
        const auto watch_until = started + c.watch;
        std::optional<Clock::time_point> settle_until;
        bool output_open = true;
        while (output_open && Clock::now() < deadline) {
            output_open = adapter.read_until(std::min(deadline, Clock::now() + milliseconds(20)));
            if (!settle_until && complete(c, expected_events, adapter.observations(), server.server().requests().size()))
                settle_until = Clock::now() + options.settle;
            if (settle_until && Clock::now() >= std::max(*settle_until, watch_until)) break;
        }
        adapter.stop();
        observed = adapter.observations();
        for (const auto& p : adapter.problems()) j.problem("the adapter printed a line that is no observation (" + p + ")");
        if (observed.empty() && adapter.exit_code() && *adapter.exit_code() != 0) {
            std::string tail = adapter.stderr_tail();
            while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
            adapter_trouble = "the adapter exited with " + std::to_string(*adapter.exit_code()) +
                              (tail.empty() ? std::string() : ": " + tail.substr(tail.size() > 300 ? tail.size() - 300 : 0));
        }
    } catch (const std::runtime_error& e) {
        adapter_trouble = e.what();
    }
    const auto requests = server.server().requests();
    server.server().stop();
    if (!adapter_trouble.empty()) j.problem(adapter_trouble);

    if (expected_events) judge_events(*expected_events, of_kind(observed, Observation::Kind::message), j);
    if (c.opens) {
        j.expect(std::to_string(*c.opens) + " open(s)");
        const auto opens = of_kind(observed, Observation::Kind::open).size();
        if (opens != *c.opens) j.problem(std::to_string(opens) + " open(s) instead of " + std::to_string(*c.opens));
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
            const auto span = std::chrono::duration<double>(messages.back()->at - messages.front()->at).count();
            const double rate = span > 0 ? static_cast<double>(messages.size() - 1) / span : 0;
            std::ostringstream text;
            text.precision(0);
            text << std::fixed << rate << " events/s sustained (offered " << c.throughput->rate << "/s)";
            note = text.str();
            j.observe(note);
        }
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
