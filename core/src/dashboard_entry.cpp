// One element of sys_eventProviders: its type, where it is served (URL or file), its events and
// interval, into a ProducerSpec; or the reason it is skipped. Every problem with one entry is a skip,
// so one odd entry never stops the others from being served.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "dashboard_parts.hpp"

namespace evsim::dashboard::detail {
namespace {

using scenario::ProducerType;

// The reference emitters' event names (docs/producers.md), used when an SSE or FILE entry lists
// none: the dashboard's white list is then empty, and these are what its sample scripts send.
constexpr std::string_view default_sse_event = "temperature_sse";
constexpr std::string_view default_file_event = "temperature_file";
constexpr double max_interval_ms = 86'400'000;  // a day; anything longer is a typo

constexpr std::array<std::string_view, 8> known_keys = {"type",   "url",     "events", "interval",
                                                         "method", "headers", "body",   "credentials"};
constexpr std::array<std::string_view, 4> fetch_keys = {"method", "headers", "body", "credentials"};

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& ch : out)
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    return out;
}

std::string number_text(double v) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

}  // namespace
}  // namespace evsim::dashboard::detail

namespace evsim::dashboard {

std::optional<scenario::ProducerType> source_type(std::string_view written) {
    using scenario::ProducerType;
    const std::string t = detail::upper(written);
    if (t == "SSE") return ProducerType::sse;
    // The documentation names WebSocket entries "WSS" whatever the URL's scheme; "WS" is accepted too.
    if (t == "WSS" || t == "WS") return ProducerType::ws;
    if (t == "FETCH") return ProducerType::fetch;
    if (t == "FILE") return ProducerType::file;
    return std::nullopt;
}

}  // namespace evsim::dashboard

namespace evsim::dashboard::detail {
namespace {

// The events as written, for the table; an error message if they cannot be used.
std::string read_events(const js::Value& object, DashboardEntry& entry) {
    const js::Value* v = object.find("events");
    if (v == nullptr || v->is_nullish()) return {};
    if (v->is_string()) {
        entry.events = {v->as_string()};
    } else if (v->is_array()) {
        for (const js::Value& name : v->as_array())
            if (name.is_string()) entry.events.push_back(name.as_string());
    } else {
        return "'events' must be an array of names, got " + js::describe(*v);
    }
    const std::vector<js::Value> single{*v};
    const auto& names = v->is_array() ? v->as_array() : single;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string which = "events[" + std::to_string(i + 1) + "]";
        if (!names[i].is_string()) return which + " must be a string, got " + js::describe(names[i]);
        const std::string& name = names[i].as_string();
        if (name.empty()) return which + " is empty";
        // A line break would end the SSE `event:` line early and corrupt the stream.
        if (name.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
            return which + " contains a line break or NUL";
    }
    return {};
}

void locate_network(DashboardEntry& e, scenario::ProducerSpec& p) {
    std::string why;
    const auto url = split_url(e.url, why);
    if (!url) throw Skip{"invalid URL: " + why};
    if (url->scheme.empty())
        throw Skip{"relative URL: the dashboard resolves it against its own page; write "
                   "http://localhost:PORT/... to have it served"};
    const bool ws = p.type == ProducerType::ws;
    const bool plain = url->scheme == (ws ? "ws" : "http");
    e.tls = url->scheme == (ws ? "wss" : "https");
    p.tls = e.tls;
    if (!plain && !e.tls)
        throw Skip{e.type + (ws ? " needs a ws:// or wss:// URL" : " needs an http:// or https:// URL") + ", got '" +
                   url->scheme + ":'"};
    if (url->host.empty()) throw Skip{"invalid URL: no host"};
    if (url->host != "localhost" && url->host != "127.0.0.1" && url->host != "[::1]")
        throw Skip{"remote host " + url->host + ": not served locally"};
    const std::uint32_t port = url->port.value_or(e.tls ? 443 : 80);
    if (port == 0) throw Skip{"port 0: nothing can connect to it"};
    // localhost is bound as 127.0.0.1: browsers fall back to it when ::1 refuses the connection.
    const bool v6 = url->host == "[::1]";
    p.host = v6 ? "::1" : "127.0.0.1";
    p.port = static_cast<std::uint16_t>(port);
    p.paths = {url->path.empty() ? "/" : url->path};
    e.target = (v6 ? "[::1]:" : "127.0.0.1:") + std::to_string(port) + p.paths.front();
    if (port < 1024)
        e.notes.push_back("port " + std::to_string(port) + " needs root or CAP_NET_BIND_SERVICE");
}

void locate_file(DashboardEntry& e, scenario::ProducerSpec& p, const std::filesystem::path& config_path) {
    std::string why;
    const auto url = split_url(e.url, why);
    if (!url) throw Skip{"invalid URL: " + why};
    if (url->scheme == "http" || url->scheme == "https")
        throw Skip{"FILE over " + url->scheme + " is not served: evsim writes local files (use a path or file://)"};
    if (!url->scheme.empty() && url->scheme != "file")
        throw Skip{"unsupported URL scheme '" + url->scheme + ":' for FILE"};
    if (url->scheme == "file" && !url->host.empty() && url->host != "localhost")
        throw Skip{"remote file host " + url->host + ": not served locally"};
    const std::string path = percent_decode(url->path);
    if (path.empty()) throw Skip{"no file path in the URL"};
    if (path.back() == '/') throw Skip{"file path ends in '/': that is a directory"};
    if (path.find('\0') != std::string::npos) throw Skip{"file path contains a NUL byte"};
    std::filesystem::path file(path);
    // Relative paths are relative to config.js, where the dashboard's pages usually are too.
    if (file.is_relative()) file = config_path.parent_path() / file;
    p.file.path = file.lexically_normal().string();
    e.target = p.file.path;
}

void choose_events(DashboardEntry& e, scenario::ProducerSpec& p) {
    if (p.type == ProducerType::sse || p.type == ProducerType::file) {
        if (!e.events.empty()) {
            p.events = e.events;
            return;
        }
        const std::string_view name = p.type == ProducerType::sse ? default_sse_event : default_file_event;
        p.events = {std::string(name)};
        e.notes.push_back("no events listed: sends '" + std::string(name) + "'");
        return;
    }
    if (e.events.empty()) return;
    // ws and fetch data carries no event name: the dashboard files all of it under one name.
    p.events = {e.events.front()};
    if (e.events.size() > 1) {
        std::string rest;
        for (std::size_t i = 1; i < e.events.size(); ++i) rest += (i > 1 ? ", " : "") + in_quotes(e.events[i]);
        e.notes.push_back(std::string(scenario::to_string(p.type)) + " data has no event name: " +
                          in_quotes(e.events.front()) + " used, " + rest + " ignored");
    }
}

cadence::CadenceSpec read_interval(const js::Value& object) {
    const js::Value* v = object.find("interval");
    if (v == nullptr || v->is_nullish()) return cadence::FixedInterval{};
    if (!v->is_number()) throw Skip{"'interval' must be a number of milliseconds, got " + js::describe(*v)};
    const double ms = v->as_number();
    if (!(ms >= 1 && ms <= max_interval_ms))
        throw Skip{"'interval' must be 1 to " + number_text(max_interval_ms) + " milliseconds, got " +
                   number_text(ms)};
    return cadence::FixedInterval{std::chrono::nanoseconds(std::llround(ms * 1e6))};
}

void note_ignored_keys(const js::Value& object, DashboardEntry& e, ProducerType type) {
    std::string unknown, fetch_only;
    for (const js::Member& m : object.as_object()) {
        const bool known = std::find(known_keys.begin(), known_keys.end(), m.key) != known_keys.end();
        const bool is_fetch_key = std::find(fetch_keys.begin(), fetch_keys.end(), m.key) != fetch_keys.end();
        std::string& list = !known ? unknown : fetch_only;
        if (!known || (is_fetch_key && type != ProducerType::fetch))
            if (list.find(in_quotes(m.key)) == std::string::npos) list += (list.empty() ? "" : ", ") + in_quotes(m.key);
    }
    if (!unknown.empty()) e.notes.push_back("unknown keys ignored: " + unknown);
    if (!fetch_only.empty()) e.notes.push_back("FETCH-only keys ignored: " + fetch_only);
}

}  // namespace

std::string in_quotes(std::string_view text) {
    if (text.size() <= 60) return "'" + std::string(text) + "'";
    std::size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole characters only
    return "'" + std::string(text.substr(0, cut)) + "...'";
}

MappedEntry map_entry(const js::Value& value, std::size_t index, const std::filesystem::path& config_path) {
    MappedEntry out;
    DashboardEntry& e = out.entry;
    e.index = index;
    e.where = {config_path.string(), value.at.line, value.at.column};
    try {
        if (!value.is_object()) throw Skip{"entry is " + js::describe(value) + ", not an object"};
        const js::Value* type = value.find("type");
        const js::Value* url = value.find("url");
        if (type != nullptr && type->is_string()) e.type = type->as_string();
        if (url != nullptr && url->is_string()) e.url = url->as_string();
        const std::string events_error = read_events(value, e);

        if (type == nullptr || type->is_nullish()) throw Skip{"missing 'type'"};
        if (!type->is_string()) throw Skip{"'type' must be a string, got " + js::describe(*type)};
        const auto kind = source_type(e.type);
        if (!kind) throw Skip{"unknown type " + in_quotes(e.type) + " (expected SSE, WSS, FETCH or FILE)"};
        if (url == nullptr || url->is_nullish()) throw Skip{"missing 'url'"};
        if (!url->is_string()) throw Skip{"'url' must be a string, got " + js::describe(*url)};
        if (std::all_of(e.url.begin(), e.url.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20; }))
            throw Skip{"empty 'url'"};

        scenario::ProducerSpec p;
        p.type = *kind;
        p.name = std::string(scenario::to_string(*kind)) + "-" + std::to_string(index);
        p.where = e.where;
        if (*kind == ProducerType::file) locate_file(e, p, config_path);
        else locate_network(e, p);
        if (!events_error.empty()) throw Skip{events_error};
        choose_events(e, p);
        p.cadence = read_interval(value);
        if (*kind == ProducerType::fetch) read_fetch_options(value, e, p);
        note_ignored_keys(value, e, *kind);

        e.served = true;
        e.producer = p.name;
        out.producer = std::move(p);
    } catch (const Skip& skip) {
        e.reason = skip.reason;
        e.notes.clear();  // notes describe how an entry is served; a skipped one is not
        e.target.clear();
    }
    return out;
}

}  // namespace evsim::dashboard::detail
