// The `cors`, `sse`, `ws`, `fetch`, `file` and `queue` blocks of a producer, and the scenario's `tls`.
#include <algorithm>

#include "scenario_parts.hpp"

namespace evsim::scenario::detail {
namespace {

// RFC 9110 token characters: what header names, methods and subprotocols are made of.
bool is_token(std::string_view text) {
    if (text.empty()) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

// An origin as browsers send it: scheme://host[:port], no path.
bool is_origin(std::string_view text) {
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
    const std::string_view rest = text.substr(scheme_end + 3);
    return !rest.empty() && rest.find('/') == std::string_view::npos;
}

}  // namespace

CorsPolicy read_cors(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "cors", {"allow_origins", "allow_credentials", "allow_headers", "max_age"});
    CorsPolicy cors;
    if (node.IsNull()) return cors;
    if (const YAML::Node v = node["allow_origins"]) {
        cors.allow_origins = read_string_list(doc, v, "cors.allow_origins");
        if (cors.allow_origins.empty()) doc.fail(v, "cors.allow_origins: needs at least one origin (or '*')");
        for (std::size_t i = 0; i < cors.allow_origins.size(); ++i) {
            const std::string& origin = cors.allow_origins[i];
            const YAML::Node item = v.IsSequence() ? v[i] : v;
            if (origin == "*") {
                if (cors.allow_origins.size() != 1) doc.fail(item, "cors.allow_origins: '*' must be the only origin");
            } else if (!is_origin(origin)) {
                doc.fail(item, "cors.allow_origins: '" + origin + "' is not an origin like https://example.com:8443");
            }
        }
    }
    if (const YAML::Node v = node["allow_credentials"]) {
        cors.allow_credentials = read_bool(doc, v, "cors.allow_credentials");
        if (cors.allow_credentials && cors.allow_origins == std::vector<std::string>{"*"})
            doc.fail(v, "cors.allow_credentials: browsers refuse credentials with allow_origins '*'; list the origins");
    }
    if (const YAML::Node v = node["allow_headers"]) {
        cors.allow_headers = read_string_list(doc, v, "cors.allow_headers");
        for (const std::string& header : cors.allow_headers)
            if (!is_token(header)) doc.fail(v, "cors.allow_headers: '" + header + "' is not a header name");
    }
    if (const YAML::Node v = node["max_age"])
        cors.max_age = std::chrono::duration_cast<std::chrono::seconds>(
            read_duration(doc, v, "cors.max_age", BareUnit::seconds));
    return cors;
}

TlsFiles read_tls_files(const Doc& doc, const YAML::Node& node) {
    if (!node.IsMap()) doc.fail(node, "tls: expected a mapping with certificate and key, got " + describe(node));
    check_map(doc, node, "tls", {"certificate", "key"});
    for (const char* required : {"certificate", "key"})
        if (!node[required]) doc.fail(node, std::string("tls: missing required key '") + required + "'");
    TlsFiles files{read_string(doc, node["certificate"], "tls.certificate"), read_string(doc, node["key"], "tls.key")};
    if (files.certificate.empty()) doc.fail(node["certificate"], "tls.certificate: expected a file name");
    if (files.key.empty()) doc.fail(node["key"], "tls.key: expected a file name");
    return files;
}

Timeouts read_timeouts(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "timeouts", {"header", "idle"});
    Timeouts timeouts;
    if (node.IsNull()) return timeouts;
    const auto positive = [&](const char* key, const char* name) {
        const YAML::Node v = node[key];
        const auto time = read_duration(doc, v, name);
        if (time < std::chrono::milliseconds(1)) doc.fail(v, std::string(name) + ": must be at least 1ms");
        return time;
    };
    if (node["header"]) timeouts.header = positive("header", "timeouts.header");
    if (node["idle"]) timeouts.idle = positive("idle", "timeouts.idle");
    return timeouts;
}

QueueSettings read_queue(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "queue", {"max_messages", "max_bytes", "on_full"});
    QueueSettings queue;
    if (node.IsNull()) return queue;
    if (const YAML::Node v = node["max_messages"])
        queue.max_messages = static_cast<std::size_t>(read_int(doc, v, "queue.max_messages", 1, 1'000'000));
    if (const YAML::Node v = node["max_bytes"]) {
        queue.max_bytes = static_cast<std::size_t>(read_size(doc, v, "queue.max_bytes"));
        if (queue.max_bytes > (std::size_t{1} << 30U)) doc.fail(v, "queue.max_bytes: at most 1GiB per client");
    }
    if (const YAML::Node v = node["on_full"]) {
        const std::string policy = read_string(doc, v, "queue.on_full");
        if (policy == "drop_oldest") queue.on_full = SlowConsumer::drop_oldest;
        else if (policy == "disconnect") queue.on_full = SlowConsumer::disconnect;
        else doc.fail(v, "queue.on_full: expected drop_oldest or disconnect, got " + describe(v));
    }
    return queue;
}

ReplaySettings read_replay(const Doc& doc, const YAML::Node& replay, const std::string& key) {
    check_map(doc, replay, key, {"enabled", "max_events", "max_bytes", "max_age"});
    // Writing a replay block means wanting replay; `enabled: false` turns it off while keeping it.
    ReplaySettings settings;
    settings.enabled = true;
    if (!replay.IsMap()) return settings;
    if (const YAML::Node v = replay["enabled"]) settings.enabled = read_bool(doc, v, key + ".enabled");
    if (const YAML::Node v = replay["max_events"])
        settings.max_events = static_cast<std::size_t>(read_int(doc, v, key + ".max_events", 1, 1'000'000));
    if (const YAML::Node v = replay["max_bytes"]) settings.max_bytes = static_cast<std::size_t>(read_size(doc, v, key + ".max_bytes"));
    if (const YAML::Node v = replay["max_age"]) {
        settings.max_age = read_duration(doc, v, key + ".max_age");
        if (settings.max_age.count() == 0) doc.fail(v, key + ".max_age: must be longer than 0");
    }
    return settings;
}

SseSettings read_sse(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "sse", {"retry", "keepalive", "id", "framing", "replay"});
    SseSettings sse;
    if (node.IsNull()) return sse;
    if (const YAML::Node v = node["retry"]) sse.retry = read_duration(doc, v, "sse.retry");
    if (const YAML::Node v = node["keepalive"]) {
        sse.keepalive = read_duration(doc, v, "sse.keepalive");
        if (sse.keepalive->count() == 0) doc.fail(v, "sse.keepalive: must be longer than 0");
    }
    if (const YAML::Node v = node["id"]) {
        const std::string id = read_string(doc, v, "sse.id");
        if (id == "none") sse.id = SseIdScheme::none;
        else if (id == "counter") sse.id = SseIdScheme::counter;
        else if (id == "measurement") sse.id = SseIdScheme::measurement;
        else doc.fail(v, "sse.id: expected none, counter or measurement, got " + describe(v));
    }
    if (const YAML::Node v = node["framing"]) {
        const std::string framing = read_string(doc, v, "sse.framing");
        if (framing == "lf") sse.framing = sse::Framing::lf;
        else if (framing == "crlf") sse.framing = sse::Framing::crlf;
        else doc.fail(v, "sse.framing: expected lf or crlf, got " + describe(v));
    }
    if (const YAML::Node replay = node["replay"]) {
        sse.replay = read_replay(doc, replay, "sse.replay");
        // A client resumes with the id of the last event it saw: without ids there is nothing to resume.
        if (sse.replay.enabled && sse.id == SseIdScheme::none)
            doc.fail(replay, "sse.replay: needs event ids; set sse.id to counter or measurement");
    }
    return sse;
}

WsSettings read_ws(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "ws", {"binary", "ping", "subprotocol", "permessage_deflate"});
    WsSettings ws;
    if (node.IsNull()) return ws;
    if (const YAML::Node v = node["binary"]) ws.binary = read_bool(doc, v, "ws.binary");
    if (const YAML::Node v = node["ping"]) {
        ws.ping = read_duration(doc, v, "ws.ping");
        if (ws.ping->count() == 0) doc.fail(v, "ws.ping: must be longer than 0");
    }
    if (const YAML::Node v = node["subprotocol"]) {
        ws.subprotocol = read_string(doc, v, "ws.subprotocol");
        if (!is_token(*ws.subprotocol)) doc.fail(v, "ws.subprotocol: " + describe(v) + " is not a protocol token");
    }
    if (const YAML::Node v = node["permessage_deflate"])
        ws.permessage_deflate = read_bool(doc, v, "ws.permessage_deflate");
    return ws;
}

FetchSettings read_fetch(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "fetch", {"methods", "mode", "batch_size", "etag", "status", "latency"});
    FetchSettings fetch;
    if (node.IsNull()) return fetch;
    if (const YAML::Node v = node["methods"]) {
        fetch.methods = read_string_list(doc, v, "fetch.methods");
        if (fetch.methods.empty()) doc.fail(v, "fetch.methods: needs at least one method");
        static constexpr std::string_view known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
        for (const std::string& method : fetch.methods)
            if (std::find(std::begin(known), std::end(known), method) == std::end(known))
                doc.fail(v, "fetch.methods: unknown method '" + method + "' (GET, HEAD, POST, PUT, PATCH, DELETE)");
    }
    if (const YAML::Node v = node["mode"]) {
        const std::string mode = read_string(doc, v, "fetch.mode");
        if (mode == "latest") fetch.mode = FetchMode::latest;
        else if (mode == "batch") fetch.mode = FetchMode::batch;
        else if (mode == "per_request") fetch.mode = FetchMode::per_request;
        else doc.fail(v, "fetch.mode: expected latest, batch or per_request, got " + describe(v));
    }
    if (const YAML::Node v = node["batch_size"]) {
        fetch.batch_size = static_cast<std::size_t>(read_int(doc, v, "fetch.batch_size", 1, 100'000));
        if (fetch.mode != FetchMode::batch) doc.fail(v, "fetch.batch_size: only used with mode: batch");
    }
    if (const YAML::Node v = node["etag"]) fetch.etag = read_bool(doc, v, "fetch.etag");
    if (const YAML::Node v = node["status"]) fetch.status = static_cast<int>(read_int(doc, v, "fetch.status", 100, 599));
    if (const YAML::Node v = node["latency"]) fetch.latency = read_duration(doc, v, "fetch.latency");
    return fetch;
}

FileSettings read_file(const Doc& doc, const YAML::Node& node) {
    check_map(doc, node, "file", {"path", "atomic"});
    if (node.IsNull() || !node["path"]) doc.fail(node, "file: missing required key 'path'");
    FileSettings file;
    file.path = read_string(doc, node["path"], "file.path");
    if (file.path.empty()) doc.fail(node["path"], "file.path: must not be empty");
    if (const YAML::Node v = node["atomic"]) file.atomic = read_bool(doc, v, "file.atomic");
    return file;
}

}  // namespace evsim::scenario::detail
