// The case file format of `evsim check client` (docs/conformance.md, "Case files"):
//
//   id: parse.bom-at-start
//   title: One BOM at the start of the stream is skipped
//   clause: "WHATWG HTML 9.2.6: ..."
//   level: MUST                       # MUST, SHOULD or INFO
//   listen: [message]                 # event types the adapter listens for
//   timeout: 4s                       # the longest the client is watched
//   watch: 2s                         # the shortest (to see that something does not happen)
//   server:                           # one entry per connection attempt; later attempts replay the last
//     - status: 200                   # default 200
//       headers: {Content-Type: text/event-stream}   # default: text/event-stream, no-cache
//       head: "HTTP/1.1 200 OK\r\n..." # instead of status and headers: sent verbatim
//       body: ["data: a\n\n", {after: 50ms, text: "data: b\n\n"}, {hex: "ff 0a"}, {text: x, repeat: 1000}]
//       end: close                    # close, reset or hang
//   throughput: {events: 1000, rate: 500}
//   browser: {event_sources: 7, websockets: 0}   # browser-only: what the page opens at once
//   explain: "what the outcome means"            # shown with the verdict
//   expect:
//     events: [{type: message, data: a, lastEventId: ""}, {data: x, repeat: 1000}]
//     opens: 1
//     websocket_opens: 3              # browser pages only
//     concurrent: 6                   # the most streams the server had open at once
//     final_ready_state: 2
//     requests: 2
//     reconnect_delay: {min: 800ms, max: 2s}
//     request_headers: [{attempt: 2, name: Last-Event-ID, equals: "7"}]
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "evsim/conformance/client_case.hpp"
#include "evsim/core/duration.hpp"

namespace evsim::conformance {

namespace {

class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
        const auto mark = node.Mark();
        throw CaseError(source_ + (mark.is_null() ? "" : ":" + std::to_string(mark.line + 1) + ":" +
                                                            std::to_string(mark.column + 1)) +
                        ": " + message);
    }

    void only(const YAML::Node& node, const std::string& what, std::initializer_list<std::string_view> keys) const {
        if (!node.IsMap()) fail(node, what + ": expected a mapping");
        for (const auto& entry : node) {
            const auto key = entry.first.as<std::string>();
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) fail(entry.first, "unknown key '" + key + "' in " + what);
        }
    }

    std::string text(const YAML::Node& node, const std::string& key) const {
        if (!node.IsScalar()) fail(node, key + ": expected text");
        return node.as<std::string>();
    }

    std::size_t count(const YAML::Node& node, const std::string& key, std::size_t max) const {
        const auto value = text(node, key);
        std::size_t n = 0;
        try {
            std::size_t used = 0;
            n = std::stoul(value, &used);
            if (used != value.size() || value.front() == '-') throw std::invalid_argument(value);
        } catch (const std::exception&) {
            fail(node, key + ": expected a whole number, got '" + value + "'");
        }
        if (n > max) fail(node, key + ": at most " + std::to_string(max));
        return n;
    }

    std::chrono::milliseconds duration(const YAML::Node& node, const std::string& key) const {
        try {
            return std::chrono::duration_cast<std::chrono::milliseconds>(parse_duration(text(node, key)));
        } catch (const std::invalid_argument& e) {
            fail(node, key + ": " + e.what());
        }
    }

private:
    std::string source_;
};

std::string from_hex(const Reader& r, const YAML::Node& node) {
    const std::string hex = r.text(node, "hex");
    std::string bytes;
    int high = -1;
    for (const char c : hex) {
        if (c == ' ') continue;
        const int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (v < 0) r.fail(node, "hex: '" + std::string(1, c) + "' is not a hex digit");
        if (high < 0) {
            high = v;
        } else {
            bytes.push_back(static_cast<char>(high * 16 + v));
            high = -1;
        }
    }
    if (high >= 0) r.fail(node, "hex: an odd number of digits");
    return bytes;
}

BodyPiece read_piece(const Reader& r, const YAML::Node& node) {
    if (node.IsScalar()) return {std::chrono::milliseconds(0), node.as<std::string>()};
    r.only(node, "body piece", {"after", "text", "hex", "repeat"});
    BodyPiece piece;
    if (const auto v = node["after"]) piece.delay = r.duration(v, "after");
    if (node["text"] && node["hex"]) r.fail(node, "body piece: text or hex, not both");
    if (const auto v = node["text"]) piece.bytes = r.text(v, "text");
    if (const auto v = node["hex"]) piece.bytes = from_hex(r, v);
    if (const auto v = node["repeat"]) {
        // Long lines without long files: the bytes this many times.
        const auto times = r.count(v, "repeat", 16U << 20U);
        if (piece.bytes.size() * times > (16U << 20U)) r.fail(v, "repeat: at most 16 MiB in one piece");
        std::string repeated;
        repeated.reserve(piece.bytes.size() * times);
        for (std::size_t i = 0; i < times; ++i) repeated += piece.bytes;
        piece.bytes = std::move(repeated);
    }
    return piece;
}

ScriptedResponse read_attempt(const Reader& r, const YAML::Node& node) {
    r.only(node, "server entry", {"status", "headers", "head", "body", "end"});
    ScriptedResponse response;
    if (const auto v = node["head"]) {
        if (node["status"] || node["headers"]) r.fail(v, "head: a verbatim head replaces status and headers");
        response.head = r.text(v, "head");
    } else {
        const int status = node["status"] ? static_cast<int>(r.count(node["status"], "status", 599)) : 200;
        if (status < 100) r.fail(node["status"], "status: expected 100..599");
        std::vector<std::pair<std::string, std::string>> headers;
        if (const auto given = node["headers"]) {
            if (!given.IsMap()) r.fail(given, "headers: expected a mapping of names to values");
            for (const auto& h : given) headers.emplace_back(h.first.as<std::string>(), r.text(h.second, "headers"));
        } else if (status == 200) {
            headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}};
        }
        response.head = make_head(status, headers);
    }
    if (const auto v = node["body"]) {
        if (v.IsScalar()) response.body.push_back(read_piece(r, v));
        else if (v.IsSequence()) for (const auto& piece : v) response.body.push_back(read_piece(r, piece));
        else r.fail(v, "body: expected text or a list of pieces");
    }
    if (const auto v = node["end"]) {
        const auto end = r.text(v, "end");
        if (end == "close") response.ending = Ending::close;
        else if (end == "reset") response.ending = Ending::reset;
        else if (end == "hang") response.ending = Ending::hang;
        else r.fail(v, "end: expected close, reset or hang, got '" + end + "'");
    }
    return response;
}

std::vector<ExpectedEvent> read_events(const Reader& r, const YAML::Node& node) {
    if (!node.IsSequence()) r.fail(node, "events: expected a list (empty: no message at all)");
    std::vector<ExpectedEvent> events;
    for (const auto& entry : node) {
        r.only(entry, "event", {"type", "data", "repeat", "lastEventId"});
        ExpectedEvent event;
        if (const auto v = entry["type"]) event.type = r.text(v, "type");
        if (const auto v = entry["data"]) event.data = r.text(v, "data");
        if (const auto v = entry["repeat"]) {  // data this many times, for long lines
            const auto times = r.count(v, "repeat", 16U << 20U);
            std::string repeated;
            for (std::size_t i = 0; i < times && repeated.size() <= (16U << 20U); ++i) repeated += event.data;
            event.data = std::move(repeated);
        }
        if (const auto v = entry["lastEventId"]) event.last_event_id = r.text(v, "lastEventId");
        events.push_back(std::move(event));
    }
    return events;
}

void read_expect(const Reader& r, const YAML::Node& node, ClientCase& c) {
    r.only(node, "expect", {"events", "opens", "websocket_opens", "concurrent", "final_ready_state", "requests",
                            "reconnect_delay", "request_headers"});
    if (const auto v = node["events"]) c.events = read_events(r, v);
    if (const auto v = node["opens"]) c.opens = r.count(v, "opens", 1000);
    if (const auto v = node["websocket_opens"]) c.websocket_opens = r.count(v, "websocket_opens", 1000);
    if (const auto v = node["concurrent"]) c.concurrent = r.count(v, "concurrent", 1000);
    if (const auto v = node["final_ready_state"]) {
        c.final_ready_state = static_cast<int>(r.count(v, "final_ready_state", 2));
        if (*c.final_ready_state == 1) r.fail(v, "final_ready_state: an error leaves 0 (reconnecting) or 2 (closed)");
    }
    if (const auto v = node["requests"]) c.requests = r.count(v, "requests", 1000);
    if (const auto v = node["reconnect_delay"]) {
        r.only(v, "reconnect_delay", {"min", "max"});
        if (const auto min = v["min"]) c.reconnect_min = r.duration(min, "reconnect_delay.min");
        if (const auto max = v["max"]) c.reconnect_max = r.duration(max, "reconnect_delay.max");
    }
    if (const auto v = node["request_headers"]) {
        if (!v.IsSequence()) r.fail(v, "request_headers: expected a list");
        for (const auto& entry : v) {
            r.only(entry, "request header", {"attempt", "name", "equals", "contains", "absent"});
            if (!entry["name"]) r.fail(entry, "request header: 'name' is required");
            ExpectedHeader header;
            header.name = r.text(entry["name"], "name");
            if (const auto a = entry["attempt"]) header.attempt = r.count(a, "attempt", 1000);
            if (header.attempt == 0) r.fail(entry["attempt"], "attempt: the first request is attempt 1");
            const int tests = (entry["equals"] ? 1 : 0) + (entry["contains"] ? 1 : 0) + (entry["absent"] ? 1 : 0);
            if (tests != 1) r.fail(entry, "request header: exactly one of equals, contains, absent");
            if (const auto e = entry["equals"]) header.value = r.text(e, "equals");
            if (const auto e = entry["contains"]) {
                header.test = ExpectedHeader::Test::contains;
                header.value = r.text(e, "contains");
            }
            if (entry["absent"]) header.test = ExpectedHeader::Test::absent;
            c.request_headers.push_back(std::move(header));
        }
    }
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CaseError(path.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

ClientCase parse_client_case(const std::string& yaml, const std::string& source) {
    const Reader r(source);
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
        throw CaseError(source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": " + e.msg);
    }
    r.only(root, "case", {"id", "title", "clause", "level", "listen", "timeout", "watch", "server", "throughput",
                          "browser", "explain", "expect"});
    for (const char* key : {"id", "title", "clause", "server", "expect"})
        if (!root[key]) r.fail(root, std::string("case: '") + key + "' is required");
    ClientCase c;
    c.id = r.text(root["id"], "id");
    if (c.id.empty() || c.id.find_first_of(" /\\") != std::string::npos) r.fail(root["id"], "id: no spaces or slashes");
    c.title = r.text(root["title"], "title");
    c.clause = r.text(root["clause"], "clause");
    if (const auto v = root["level"]) {
        const auto level = r.text(v, "level");
        if (level == "MUST") c.level = Level::must;
        else if (level == "SHOULD") c.level = Level::should;
        else if (level == "INFO") c.level = Level::info;
        else r.fail(v, "level: expected MUST, SHOULD or INFO, got '" + level + "'");
    }
    if (const auto v = root["listen"]) {
        if (!v.IsSequence() || v.size() == 0) r.fail(v, "listen: expected a list of event types");
        c.listen.clear();
        for (const auto& type : v) {
            c.listen.push_back(r.text(type, "listen"));
            if (c.listen.back().empty() || c.listen.back().find_first_of(", \r\n") != std::string::npos)
                r.fail(type, "listen: event types without commas, spaces or line breaks");
        }
    }
    if (const auto v = root["timeout"]) c.timeout = r.duration(v, "timeout");
    if (const auto v = root["watch"]) c.watch = r.duration(v, "watch");
    if (c.watch > c.timeout) r.fail(root["watch"], "watch: longer than the timeout (" + std::to_string(c.timeout.count()) + " ms)");
    const auto server = root["server"];
    if (!server.IsSequence() || server.size() == 0) r.fail(server, "server: expected a list of at least one attempt");
    for (const auto& attempt : server) c.attempts.push_back(read_attempt(r, attempt));
    if (const auto v = root["throughput"]) {
        r.only(v, "throughput", {"events", "rate"});
        Throughput t;
        if (const auto n = v["events"]) t.events = r.count(n, "throughput.events", 1'000'000);
        if (const auto rate = v["rate"]) t.rate = static_cast<double>(r.count(rate, "throughput.rate", 1'000'000));
        if (t.events == 0 || t.rate <= 0) r.fail(v, "throughput: events and rate must be above 0");
        c.throughput = t;
    }
    if (const auto v = root["browser"]) {
        r.only(v, "browser", {"event_sources", "websockets"});
        BrowserPage page;
        // A browser holds 255 WebSockets and a few hundred sockets in all; the page stays below.
        if (const auto n = v["event_sources"]) page.event_sources = r.count(n, "browser.event_sources", 100);
        if (const auto n = v["websockets"]) page.websockets = r.count(n, "browser.websockets", 100);
        if (page.event_sources == 0) r.fail(v, "browser.event_sources: at least 1");
        c.browser = page;
    }
    if (const auto v = root["explain"]) c.explain = r.text(v, "explain");
    read_expect(r, root["expect"], c);
    if (c.websocket_opens && (!c.browser || c.browser->websockets == 0))
        r.fail(root["expect"]["websocket_opens"], "websocket_opens: the case's browser page opens no WebSockets");
    return c;
}

std::vector<ClientCase> load_client_cases(const std::string& directory) {
    std::vector<ClientCase> cases;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        if (entry.path().extension() != ".yaml") continue;
        cases.push_back(parse_client_case(read_file(entry.path()), entry.path().string()));
    }
    if (error) throw CaseError(directory + ": " + error.message());
    std::sort(cases.begin(), cases.end(), [](const ClientCase& a, const ClientCase& b) { return a.id < b.id; });
    for (std::size_t i = 1; i < cases.size(); ++i)
        if (cases[i].id == cases[i - 1].id) throw CaseError(directory + ": two cases are called '" + cases[i].id + "'");
    return cases;
}

}  // namespace evsim::conformance
