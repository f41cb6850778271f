// Scenarios: which producers `evsim serve SCENARIO.yaml` runs, and how each one behaves.
//
// The model is plain structs with the defaults a scenario gets when it leaves a key out, so code (and
// tests) can build a Scenario without YAML. parse_scenario/load_scenario_file read the YAML form
// described in docs/scenarios.md; every mistake becomes a ScenarioError whose what() is
// "FILE:LINE:COLUMN: message", pointing at the offending YAML node, so an editor can jump to it.
// yaml-cpp stays out of this header on purpose: users of the model never need its headers.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evsim/core/cadence.hpp"
#include "evsim/core/faults.hpp"
#include "evsim/core/load_spec.hpp"
#include "evsim/core/payload.hpp"
#include "evsim/core/sse_encoder.hpp"

namespace evsim::scenario {

// Limits the loader enforces: a scenario is a hand-written file, anything bigger is a mistake.
inline constexpr std::size_t max_file_bytes = 1024 * 1024;
inline constexpr std::size_t max_producers = 1000;

// Where something was written: 1-based line and column (0 when unknown, e.g. for a Scenario built
// in code).
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
};

class ScenarioError : public std::runtime_error {
public:
    ScenarioError(SourceLocation where, const std::string& message)
        : std::runtime_error(where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                             ": " + message),
          where_(std::move(where)), message_(message) {}

    const SourceLocation& where() const noexcept { return where_; }
    // The message without the "FILE:LINE:COLUMN: " prefix.
    const std::string& message() const noexcept { return message_; }

private:
    SourceLocation where_;
    std::string message_;
};

enum class ProducerType { sse, ws, fetch, file };

// Emulations of the real servers in the reference documents (docs/dialects.md): SSE producers with
// that server's routes, framing and errors. In a scenario their name is the type.
enum class Dialect {
    none,
    eventsource_lib,  // "eventsource-lib": the Python event-source library's listener (tornado)
    machbase_watch,   // "machbase-watch": a time-series database's SSE watch API, /db/watch/{table}
    wakanda_push,     // "wakanda-push": a server-side SSE push module, /eventsource
    ctrlx_datalayer,  // "ctrlx-datalayer": an industrial controller's data layer, bearer tokens and subscriptions
};
// "eventsource-lib", ...; "" for none.
std::string_view to_string(Dialect dialect) noexcept;
// The dialect called `name`, if there is one.
std::optional<Dialect> dialect_named(std::string_view name) noexcept;

// CORS headers of HTTP producers (sse, fetch, ws handshake). Browsers refuse a credentialed request
// answered with `Access-Control-Allow-Origin: *`, so "*" together with allow_credentials is an error.
struct CorsPolicy {
    std::vector<std::string> allow_origins{"*"};
    bool allow_credentials = false;
    std::vector<std::string> allow_headers;  // empty: none beyond the CORS-safelisted ones
    std::optional<std::chrono::seconds> max_age;  // Access-Control-Max-Age; absent: header not sent
};

enum class SseIdScheme {
    none,         // no `id:` lines
    counter,      // 1, 2, 3, ... per producer
    measurement,  // ids that carry the send timestamp, for latency measurement
};

// Last-Event-ID resume: the events a reconnecting client missed, bounded three ways.
struct ReplaySettings {
    bool enabled = false;
    std::size_t max_events = 500;
    std::size_t max_bytes = 2'000'000;
    std::chrono::microseconds max_age = std::chrono::hours(2);
};

struct SseSettings {
    std::optional<std::chrono::microseconds> retry;      // `retry:` sent on connect
    std::optional<std::chrono::microseconds> keepalive;  // comment line when idle this long
    SseIdScheme id = SseIdScheme::none;
    sse::Framing framing = sse::Framing::lf;
    ReplaySettings replay;
};

struct WsSettings {
    bool binary = false;  // binary frames instead of text frames
    std::optional<std::chrono::microseconds> ping;
    std::optional<std::string> subprotocol;  // Sec-WebSocket-Protocol the server agrees to
    bool permessage_deflate = false;
};

enum class FetchMode {
    latest,  // every request gets the latest event
    batch,   // every request gets the events since the previous one, at most batch_size
    per_request,  // every request draws a fresh value, as fetch.py does; the cadence is not used
};

// The Python event-source library's listener (reference document 001), with its flags' meanings.
struct EventSourceLibSettings {
    // -k: a `: keepalive <unix time>` comment on every open stream this often; absent: none (-k 0).
    std::optional<std::chrono::microseconds> keepalive;
    bool ids = false;   // -i: `id: N` on every event from one counter for all tokens; allows `retry`
    bool json = false;  // -j: pushed data must be JSON; it is sent re-serialised
    // POST actions that push an event of that name (`close` and, with ids, `retry` are always there).
    std::vector<std::string> actions{"ping"};
};

// One table of the watch API (reference document 002). A tag table holds one value per tag per
// insert; a log table one record per insert.
struct WatchTable {
    enum class Kind { tag, log };
    std::string name;  // matched case-insensitively, as the database does
    Kind kind = Kind::tag;
    std::vector<std::string> tags;  // tag tables only: the tags that exist
};

struct WatchSettings {
    // Absent: the document's example table, `example` with tags neo_load1 and neo_load5.
    std::vector<WatchTable> tables;
};

// Where a push-module connection's session id, user or groups come from.
struct PushIdentity {
    enum class From { none, cookie, header, query };
    From from = From::none;
    std::string name;  // the cookie, header or query parameter
};

// The server-side push module (reference document 004).
struct PushModuleSettings {
    PushIdentity session{PushIdentity::From::cookie, "WASID"};  // the platform's session cookie
    PushIdentity user{PushIdentity::From::header, "X-User"};
    PushIdentity groups{PushIdentity::From::header, "X-Groups"};  // a comma-separated list
    // Last-Event-ID replay: the original's limits, on by default (the original's loop never replays).
    ReplaySettings replay{true, 500, 2'000'000, std::chrono::hours(2)};
    bool generate = true;  // events at the cadence, to everyone; false: only what is pushed
};

// The data types of the controller's data layer nodes (reference document 003) that evsim serves,
// by their names on the wire ("type" of an update event).
enum class DatalayerType { bool8, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64, string };
// "bool8", "int8", ..., "float", "double", "string".
std::string_view to_string(DatalayerType type) noexcept;
std::optional<DatalayerType> datalayer_type_named(std::string_view name) noexcept;
// A usable node address: 1..512 printable ASCII characters, no leading '/', none of , ? # % & " \.
bool is_datalayer_address(std::string_view address) noexcept;

// One node of the data layer: its address (a path like plc/app/Application/sym/PLC_PRG/counter), its
// type, and the generator of its values (numeric types need a numeric generator).
struct DatalayerNode {
    std::string address;
    DatalayerType type = DatalayerType::float64;
    payload::GeneratorSpec payload = payload::RandomWalk{};
};

struct DatalayerUser {
    std::string name;
    std::string password;
};

// The industrial controller's data layer (reference document 003): an identity manager issuing
// bearer tokens, SSE subscriptions of nodes.
struct DatalayerSettings {
    // Who may get a token; the default is the controller's delivery-state user.
    std::vector<DatalayerUser> users{{"boschrexroth", "boschrexroth"}};
    std::chrono::microseconds token_lifetime = std::chrono::hours(2);
    // A subscription nobody listens to for this long is deleted; its stream URL then answers 404.
    std::chrono::microseconds inactive_timeout = std::chrono::seconds(60);
    std::size_t max_subscriptions = 1000;
    // Absent: an example PLC program's nodes (docs/dialects.md).
    std::vector<DatalayerNode> nodes;
};

// What is wrong with `action` as an eventsource-lib POST action ("" when nothing): it is a URL path
// segment, and poll, close and retry are built in.
std::string eventsource_lib_action_problem(std::string_view action);

struct FetchSettings {
    std::vector<std::string> methods{"GET"};
    FetchMode mode = FetchMode::latest;
    std::size_t batch_size = 10;  // only meaningful for FetchMode::batch
    bool etag = false;            // ETag / If-None-Match -> 304 when nothing changed
    int status = 200;
    std::chrono::microseconds latency{0};  // added before every response
};

struct FileSettings {
    std::string path;    // required for file producers
    bool atomic = true;  // write a temporary file and rename it, so readers never see half a file
};

// What a streaming producer (sse, ws) does for a client that does not read fast enough: every
// client has a bounded queue of messages waiting to be written.
enum class SlowConsumer {
    drop_oldest,  // keep the newest messages, count the dropped ones (live data: the latest matters)
    disconnect,   // close the connection once the queue is full (the client reconnects and resumes)
};

struct QueueSettings {
    std::size_t max_messages = 1024;
    std::size_t max_bytes = 8 * 1024 * 1024;
    SlowConsumer on_full = SlowConsumer::drop_oldest;
};

struct ProducerSpec {
    std::string name;  // unique in the scenario
    ProducerType type = ProducerType::sse;
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;           // 0: any free port
    // HTTP paths the producer answers at (the first is the one its URL shows); empty: every path of
    // its listener.
    std::vector<std::string> paths;
    std::vector<std::string> events;
    cadence::CadenceSpec cadence = cadence::FixedInterval{};  // every 3s
    payload::GeneratorSpec payload = payload::RandomInt{};    // 10..98
    CorsPolicy cors;
    bool tls = false;  // https / wss, with the scenario's certificate (or a self-signed one)
    bool measurement_metadata = false;
    SseSettings sse;
    WsSettings ws;
    FetchSettings fetch;
    FileSettings file;
    Dialect dialect = Dialect::none;  // type sse with another server's protocol
    EventSourceLibSettings eventsource_lib;
    WatchSettings watch;
    PushModuleSettings push;
    DatalayerSettings datalayer;
    QueueSettings queue;                    // sse and ws: each client's outbound queue
    std::vector<faults::FaultSpec> faults;  // injected as their triggers say (docs/scenarios.md)
    SourceLocation where;  // the producer's entry in the scenario file
};

// Sets what a dialect producer defaults to where a plain producer's defaults would not fit (the
// watch API inserts rows every second, load-average-like values). Call after setting `dialect`.
void apply_dialect_defaults(ProducerSpec& producer);

// PEM files for the producers with `tls: true`. Relative paths are relative to the scenario file.
struct TlsFiles {
    std::string certificate;  // the chain, leaf first
    std::string key;
};

// Connection timeouts of every listener; absent: the runner's defaults (10 s and 60 s).
struct Timeouts {
    // To send a complete request (after the TLS handshake, which counts too); also how long a
    // keep-alive connection may sit idle between requests.
    std::optional<std::chrono::microseconds> header;
    // WebSocket: with nothing received for this long the connection is dropped (a ping goes out at
    // half of it). A producer's ws.ping overrides it.
    std::optional<std::chrono::microseconds> idle;
};

struct Scenario {
    std::string source;  // the file name (or the name given to parse_scenario)
    std::optional<std::uint64_t> seed;
    Timeouts timeouts;
    std::optional<TlsFiles> tls;  // absent: a self-signed certificate is made at start when needed
    std::vector<ProducerSpec> producers;  // may be empty when there is a load section
    std::optional<LoadSpec> load;         // `evsim load` / `evsim run` (load_spec.hpp)
};

// "sse", "ws", "fetch", "file".
std::string_view to_string(ProducerType type) noexcept;

// Parses and checks a scenario; `source_name` prefixes every error message. Throws ScenarioError.
Scenario parse_scenario(std::string_view yaml_text, std::string_view source_name);

// Reads `path` (at most max_file_bytes) and parses it; an unreadable file is a ScenarioError too.
Scenario load_scenario_file(const std::string& path);

}  // namespace evsim::scenario
