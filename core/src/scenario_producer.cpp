// One entry of `producers:`: its common keys, and the settings block of its own type.
#include <algorithm>
#include <charconv>

#include "scenario_parts.hpp"

namespace evsim::scenario::detail {
namespace {

const std::initializer_list<std::string_view> producer_keys = {
    "name", "type",  "listen", "path", "events", "cadence", "payload", "cors", "measurement_metadata",
    "sse",  "ws",    "fetch",  "file",   "faults", "queue", "tls", "eventsource_lib", "watch", "push", "datalayer"};

// The settings block of each dialect, by the dialect's name.
constexpr std::pair<Dialect, const char*> dialect_blocks[] = {{Dialect::eventsource_lib, "eventsource_lib"},
                                                             {Dialect::machbase_watch, "watch"},
                                                             {Dialect::wakanda_push, "push"},
                                                             {Dialect::ctrlx_datalayer, "datalayer"}};

bool valid_name(std::string_view name) {
    // Names end up in log lines, metrics labels and file names: keep them plain.
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    });
}

void read_type(const Doc& doc, const YAML::Node& node, ProducerSpec& producer) {
    const std::string type = read_string(doc, node, "type");
    if (type == "sse") producer.type = ProducerType::sse;
    else if (type == "ws") producer.type = ProducerType::ws;
    else if (type == "fetch") producer.type = ProducerType::fetch;
    else if (type == "file") producer.type = ProducerType::file;
    else if (const auto dialect = dialect_named(type)) {
        producer.type = ProducerType::sse;  // every dialect so far is an SSE server
        producer.dialect = *dialect;
    } else {
        std::string message =
            "type: expected sse, ws, fetch, file or a dialect (eventsource-lib, machbase-watch, wakanda-push, "
            "ctrlx-datalayer), got " +
            describe(node);
        const std::string hint =
            suggest(type, {"sse", "ws", "fetch", "file", "eventsource-lib", "machbase-watch", "wakanda-push", "ctrlx-datalayer"});
        if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
        doc.fail(node, message);
    }
}

// "127.0.0.1:8081", "[::1]:8081", "localhost:80" or just "8081" (on the default host).
void read_listen(const Doc& doc, const YAML::Node& node, ProducerSpec& producer) {
    const std::string text = read_string(doc, node, "listen");
    const std::string bad = "listen: expected host:port, [v6-address]:port or a port, got " + describe(node);
    std::string_view port_text = text;
    std::string host;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close == 1 || close + 1 >= text.size() || text[close + 1] != ':')
            doc.fail(node, bad);
        host = text.substr(1, close - 1);
        port_text = std::string_view(text).substr(close + 2);
    } else if (const auto colon = text.rfind(':'); colon != std::string::npos) {
        host = text.substr(0, colon);
        // A bare IPv6 address would be ambiguous (is the last group the port?): brackets are required.
        if (host.empty() || host.find(':') != std::string::npos) doc.fail(node, bad);
        port_text = std::string_view(text).substr(colon + 1);
    }
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || error != std::errc{} || end != port_text.data() + port_text.size()) doc.fail(node, bad);
    if (port > 65535) doc.fail(node, "listen: port must be 0..65535 (got " + std::string(port_text) + ")");
    if (!host.empty()) producer.host = host;
    producer.port = static_cast<std::uint16_t>(port);
}

}  // namespace

ProducerSpec read_producer(const Doc& doc, const YAML::Node& node) {
    if (!node.IsMap()) doc.fail(node, "producer: expected a mapping, got " + describe(node));
    check_map(doc, node, "producer", producer_keys);
    for (const char* required : {"name", "type"})
        if (!node[required]) doc.fail(node, std::string("producer: missing required key '") + required + "'");

    ProducerSpec producer;
    producer.where = doc.where(node);
    producer.name = read_string(doc, node["name"], "name");
    if (!valid_name(producer.name))
        doc.fail(node["name"], "name: " + describe(node["name"]) +
                                   " must be 1..64 letters, digits, '_', '-' or '.'");
    read_type(doc, node["type"], producer);
    const std::string kind(producer.dialect != Dialect::none ? to_string(producer.dialect) : to_string(producer.type));
    const bool is_file = producer.type == ProducerType::file;

    // Blocks that belong to another type are mistakes (a copy-pasted entry whose type was changed):
    // ignoring them would run something else than what the file says.
    for (const char* block : {"sse", "ws", "fetch", "file"})
        if (const YAML::Node v = node[block]; v && (block != kind))
            doc.fail(v, std::string(block) + ": settings for " + block + " producers, but this producer is " + kind);
    for (const auto& [dialect, block] : dialect_blocks)
        if (const YAML::Node v = node[block]; v && dialect != producer.dialect)
            doc.fail(v, std::string(block) + ": settings for " + std::string(to_string(dialect)) +
                            " producers, but this producer is " + kind);
    if (producer.dialect == Dialect::eventsource_lib) {
        // The library relays what clients POST on fixed routes, without CORS headers or faults.
        for (const char* key : {"path", "events", "cadence", "payload", "cors", "measurement_metadata", "faults"})
            if (const YAML::Node v = node[key])
                doc.fail(v, std::string(key) +
                                ": eventsource-lib producers relay what clients POST to /ACTION/TOKEN on the library's "
                                "own routes; they take listen, tls, queue and eventsource_lib");
    }
    if (producer.dialect == Dialect::machbase_watch) {
        // The database's own route and data: what it inserts comes from cadence and payload.
        for (const char* key : {"path", "events", "measurement_metadata", "faults"})
            if (const YAML::Node v = node[key])
                doc.fail(v, std::string(key) +
                                ": machbase-watch producers serve /db/watch/{table}; they take listen, tls, cors, queue, "
                                "cadence (how often rows are inserted), payload (their values) and watch");
        apply_dialect_defaults(producer);  // the entry's cadence and payload, read below, replace them
    }
    if (producer.dialect == Dialect::wakanda_push) {
        for (const char* key : {"measurement_metadata", "faults"})
            if (const YAML::Node v = node[key])
                doc.fail(v, std::string(key) + ": wakanda-push producers take listen, tls, path, cors, queue, events, "
                                               "cadence, payload and push");
    }
    if (producer.dialect == Dialect::ctrlx_datalayer) {
        for (const char* key : {"path", "events", "payload", "measurement_metadata", "faults"})
            if (const YAML::Node v = node[key])
                doc.fail(v, std::string(key) +
                                ": ctrlx-datalayer producers serve the controller's own routes and give each node its own "
                                "payload; they take listen, tls, cors, queue, cadence (how often node values change) and "
                                "datalayer");
        apply_dialect_defaults(producer);  // TLS on, unless the entry's tls (read below) says otherwise
    }
    // A file producer writes a file and serves nothing over the network.
    for (const char* network_key : {"listen", "path", "cors", "tls"})
        if (const YAML::Node v = node[network_key]; v && is_file)
            doc.fail(v, std::string(network_key) + ": file producers do not listen; set file.path instead");

    if (const YAML::Node v = node["listen"]) read_listen(doc, v, producer);
    if (const YAML::Node v = node["path"]) {
        // One path or a list of them: one producer may answer at several (an old and a new URL).
        producer.paths = read_string_list(doc, v, "path");
        for (std::size_t i = 0; i < producer.paths.size(); ++i) {
            const std::string& path = producer.paths[i];
            const YAML::Node item = v.IsSequence() ? v[i] : v;
            if (path.empty() || path.front() != '/' || path.find_first_of(" ?#") != std::string::npos)
                doc.fail(item, "path: expected an absolute URL path like /events (no spaces, query or fragment), got " +
                                   describe(item));
            if (std::find(producer.paths.begin(), producer.paths.begin() + static_cast<std::ptrdiff_t>(i), path) !=
                producer.paths.begin() + static_cast<std::ptrdiff_t>(i))
                doc.fail(item, "path: " + path + " is listed twice");
        }
        if (producer.paths.empty()) doc.fail(v, "path: expected a path or a list of at least one");
    }
    if (const YAML::Node v = node["events"]) {
        producer.events = read_string_list(doc, v, "events");
        // The dashboard takes a single event name for ws and fetch sources: their data carries none.
        if (producer.events.size() > 1 && (producer.type == ProducerType::ws || producer.type == ProducerType::fetch))
            doc.fail(v, "events: " + std::string(to_string(producer.type)) +
                            " producers carry raw data, so they take one event name (got " +
                            std::to_string(producer.events.size()) + ")");
    }
    if (const YAML::Node v = node["cadence"]) {
        try {
            producer.cadence = cadence::parse_cadence(read_string(doc, v, "cadence"));
        } catch (const cadence::SpecError& e) {
            doc.fail(v, std::string("cadence: ") + e.what());
        }
    }
    if (const YAML::Node v = node["payload"]) {
        producer.payload = read_generator(doc, v, "payload");
        try {
            payload::validate(producer.payload);
        } catch (const payload::SpecError& e) {
            doc.fail(v, std::string("payload: ") + e.what());
        }
    }
    if (const YAML::Node v = node["cors"]) producer.cors = read_cors(doc, v);
    if (const YAML::Node v = node["faults"]) producer.faults = read_faults(doc, v, producer.type);
    if (const YAML::Node v = node["queue"]) {
        if (producer.type != ProducerType::sse && producer.type != ProducerType::ws)
            doc.fail(v, "queue: only sse and ws producers keep per-client queues");
        producer.queue = read_queue(doc, v);
    }
    if (const YAML::Node v = node["tls"]) producer.tls = read_bool(doc, v, "tls");
    if (const YAML::Node v = node["measurement_metadata"])
        producer.measurement_metadata = read_bool(doc, v, "measurement_metadata");

    if (producer.dialect == Dialect::eventsource_lib) {
        if (const YAML::Node v = node["eventsource_lib"]) producer.eventsource_lib = read_eventsource_lib(doc, v);
        return producer;
    }
    if (producer.dialect == Dialect::machbase_watch) {
        if (const YAML::Node v = node["watch"]) producer.watch = read_watch(doc, v);
        return producer;
    }
    if (producer.dialect == Dialect::ctrlx_datalayer) {
        if (const YAML::Node v = node["datalayer"]) producer.datalayer = read_datalayer(doc, v);
        return producer;
    }
    if (producer.dialect == Dialect::wakanda_push) {
        if (producer.paths.size() > 1) doc.fail(node["path"], "path: wakanda-push producers listen at one path");
        apply_dialect_defaults(producer);  // /eventsource unless the entry says
        if (const YAML::Node v = node["push"]) producer.push = read_push(doc, v);
        return producer;
    }
    switch (producer.type) {
        case ProducerType::sse:
            if (const YAML::Node v = node["sse"]) producer.sse = read_sse(doc, v);
            break;
        case ProducerType::ws:
            if (const YAML::Node v = node["ws"]) producer.ws = read_ws(doc, v);
            break;
        case ProducerType::fetch:
            if (const YAML::Node v = node["fetch"]) producer.fetch = read_fetch(doc, v);
            break;
        case ProducerType::file:
            if (!node["file"]) doc.fail(node, "producer: missing required key 'file' (file producers need file.path)");
            producer.file = read_file(doc, node["file"]);
            break;
    }
    return producer;
}

}  // namespace evsim::scenario::detail
