// The four reference emitters of the dashboard documentation (fetch.py, sse.py, ws.py, file.py)
// with their defaults and wire output, as one object on one io_context: what `evsim serve` runs
// without arguments, and what tests start in-process on port 0.
//
// Threading: not thread-safe. Construct, start(), stop() and destroy it on the thread that runs the
// io_context, or while the io_context is not running (the usual pattern: construct and start, run
// the io_context on a thread, post stop() to it, join, destroy). The endpoint accessors and stats()
// may be read from any thread: endpoints never change after construction, stats are atomic.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "evsim/producers/http_types.hpp"
#include "evsim/producers/listener.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/producer_set.hpp"
#include "evsim/producers/stats.hpp"
#include "evsim/producers/ws_session.hpp"

namespace evsim::producers {

// fetch.py: every GET answers a fresh value as text/plain.
struct FetchOptions {
    bool enabled = true;
    std::uint16_t port = 8080;        // 0: any free port
    std::optional<std::string> path;  // absent: every path; otherwise others get 404
};

// sse.py: `event: temperature_sse` / `data: NN`, on connect and every interval.
struct SseOptions {
    bool enabled = true;
    std::uint16_t port = 8081;
    std::optional<std::string> path;
    std::string event = "temperature_sse";  // the `event:` field
};

// ws.py: a text message `NN`, on connect and every interval.
struct WsOptions {
    bool enabled = true;
    std::uint16_t port = 8082;
    std::optional<std::string> path;
    WsSessionOptions session;
};

// file.py: `event="temperature_file";data=NN` every interval, replaced atomically.
struct FileOptions {
    bool enabled = true;
    std::filesystem::path path;              // empty: default_file_path()
    std::string event = "temperature_file";  // the record's event name
};

struct ReferenceOptions {
    std::string host = "127.0.0.1";            // address (or name) every listener binds
    std::chrono::milliseconds interval{3000};  // SSE, WebSocket and file: one value per interval
    std::optional<std::uint64_t> seed;         // absent: random values; present: reproducible
    HttpOptions http;                          // request limits and header timeout, all listeners
    std::size_t queue_capacity = OutboundQueue::default_capacity;  // per SSE / WebSocket client
    // How long stop() lets WebSocket clients answer the close frame before their sockets are closed.
    std::chrono::milliseconds shutdown_grace{1000};
    // https and wss instead of http and ws, with `tls_context`'s certificate or (null) a self-signed
    // one made at start.
    bool tls = false;
    std::shared_ptr<boost::asio::ssl::context> tls_context;
    std::size_t workers = 0;  // connection-serving threads besides the io_context's (ProducerSetOptions)
    FetchOptions fetch;
    SseOptions sse;
    WsOptions ws;
    FileOptions file;
    LogFunction log = stderr_log();
};

// The four emitters as a scenario (what ReferenceEmitters runs): producers named fetch, sse, ws and
// file, in that order, for the enabled ones.
scenario::Scenario reference_scenario(const ReferenceOptions& options);

// One line of the start banner.
struct EmitterUrl {
    enum class Kind { fetch, sse, ws, file };
    Kind kind;
    std::string url;  // "http://127.0.0.1:8080", "ws://[::1]:8082/live", "file:///tmp/data.tmp"
};

class ReferenceEmitters {
public:
    // Checks the options and binds every enabled listener. Throws std::invalid_argument for a bad
    // option (unresolvable host, a path not starting with '/', nothing enabled, zero interval or
    // queue capacity) and BindError for a port that cannot be bound (the message names it).
    ReferenceEmitters(boost::asio::io_context& io, ReferenceOptions options);
    ~ReferenceEmitters();  // stop()
    ReferenceEmitters(const ReferenceEmitters&) = delete;
    ReferenceEmitters& operator=(const ReferenceEmitters&) = delete;

    // Writes the first file value (throws std::system_error if it cannot), generates the first
    // SSE and WebSocket values and starts accepting and ticking. Nothing runs until the io_context
    // does.
    void start();

    // Stops accepting and ticking, closes every connection (WebSocket clients get a close frame
    // and shutdown_grace to answer). Once the remaining handlers have run, the io_context has no
    // more work from these emitters: io_context::run() returns. Idempotent.
    void stop();

    // Bound endpoints (real ports when 0 was asked), absent for a disabled emitter.
    std::optional<boost::asio::ip::tcp::endpoint> fetch_endpoint() const;
    std::optional<boost::asio::ip::tcp::endpoint> sse_endpoint() const;
    std::optional<boost::asio::ip::tcp::endpoint> ws_endpoint() const;
    std::optional<std::filesystem::path> file_path() const;

    // The enabled emitters' URLs in the order fetch, sse, ws, file.
    std::vector<EmitterUrl> urls() const;

    // Current SSE / WebSocket subscribers. Call on the io_context thread.
    std::size_t sse_clients() const;
    std::size_t ws_clients() const;

    StatsSnapshot stats() const { return set_.totals(); }
    bool self_signed_tls() const noexcept { return set_.self_signed_tls(); }
    ProducerSet& producers() noexcept { return set_; }

private:
    ProducerSet set_;
};

}  // namespace evsim::producers
