// One event source a virtual user opens (SSE, WebSocket, fetch polling, file polling), and what
// every kind shares: where it records, the VU's browser connection pools, the clock.
//
// Sources live on their VU's thread (a single-threaded io_context). stop() runs there too; after
// it no callback of the source touches the recorder, the pools or the VU again.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "evsim/core/load_spec.hpp"
#include "evsim/core/scenario.hpp"
#include "evsim/loadgen/connection_pool.hpp"
#include "evsim/loadgen/metrics.hpp"

namespace evsim::loadgen::detail {

// A source with its URL known (a producer's address filled in, a dashboard entry turned into one).
struct ResolvedSource {
    scenario::ProducerType type = scenario::ProducerType::sse;
    std::string url;  // file sources: a path
    std::chrono::microseconds interval = std::chrono::seconds(1);
    std::chrono::microseconds timeout = std::chrono::seconds(10);
    scenario::WsReconnect reconnect;
    std::vector<std::pair<std::string, std::string>> headers;
    bool insecure = false;
};

// A browser's pools, one set per VU: six connections per host for HTTP, 255 WebSockets in all.
struct BrowserPools {
    ConnectionPool http{6};
    ConnectionPool ws{255};
};

struct SourceContext {
    boost::asio::any_io_executor executor;
    Recorder& recorder;
    Gauges& gauges;
    BrowserPools* pools = nullptr;  // null: raw mode, no connection limit
    // The thread's TLS client context, shared by its sources (verification is set per connection).
    std::shared_ptr<boost::asio::ssl::context> tls;
};

// Unix time in microseconds: the clock producers stamp events with.
std::int64_t unix_now_us();
// steady-clock microseconds between two points, never negative.
std::uint64_t micros_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to);

// One request's place in a browser pool: granted at once, or pending (counted in the pending
// gauge) until the pool grants it; the wait is recorded. Not copyable; release() before destruction.
class PoolTicket {
public:
    PoolTicket() = default;
    PoolTicket(const PoolTicket&) = delete;
    PoolTicket& operator=(const PoolTicket&) = delete;
    ~PoolTicket() { release(); }

    // Asks `pool` (null: no limit, granted now) for a connection to `host`; `granted` runs when
    // it is given, possibly before this returns.
    void acquire(ConnectionPool* pool, const PoolHost& host, SourceContext& context, std::function<void()> granted);
    // Gives the connection back, or withdraws the request (recording how long it waited). Idempotent.
    void release();

private:
    ConnectionPool* pool_ = nullptr;
    SourceContext* context_ = nullptr;
    ConnectionPool::Id id_ = 0;
    bool held_ = false;
    bool waiting_ = false;
    bool acquiring_ = false;  // inside acquire(): a grant now is immediate, not a wait
    std::chrono::steady_clock::time_point since_;
};

class Source {
public:
    virtual ~Source() = default;
    virtual void start() = 0;
    virtual void stop() = 0;
};

// Throws std::invalid_argument for a URL the source cannot use.
std::unique_ptr<Source> make_sse_source(const ResolvedSource& source, SourceContext& context);
std::unique_ptr<Source> make_ws_source(const ResolvedSource& source, SourceContext& context);
std::unique_ptr<Source> make_fetch_source(const ResolvedSource& source, SourceContext& context);
std::unique_ptr<Source> make_file_source(const ResolvedSource& source, SourceContext& context);
std::unique_ptr<Source> make_source(const ResolvedSource& source, SourceContext& context);

// Throws std::invalid_argument when `source.url` cannot serve its type (sse and fetch need
// http(s), ws needs ws(s), file an absolute path or file://), naming what is wrong.
void check_source_url(const ResolvedSource& source);

// The pool key of an http(s)/ws(s) URL.
PoolHost pool_host_of(const std::string& url);

}  // namespace evsim::loadgen::detail
