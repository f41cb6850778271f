// Every producer of a scenario on one io_context: binds their listeners (producers that share an
// address share one listener, which routes requests by path), starts and stops them together, and
// answers for them by name (the control API publishes and reads counters through it).
//
// Threading: like ReferenceEmitters, construct, start(), stop() and destroy on the io_context's
// thread or while it is not running; urls() and endpoint accessors may be read from any thread
// (they never change after construction); stats are atomic. With `workers`, connections are served
// on the set's own worker threads (IoPool) while producers stay on the io_context's thread; the
// destructor joins the workers, so destroy the set only once the io_context has stopped.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/core/scenario.hpp"
#include "evsim/producers/http_types.hpp"
#include "evsim/producers/io_pool.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/producer.hpp"
#include "evsim/producers/stats.hpp"
#include "evsim/producers/ws_session.hpp"

namespace evsim::producers {

struct ProducerSetOptions {
    std::optional<std::uint64_t> seed;  // overrides the scenario's; neither: a random seed
    HttpOptions http;                   // request limits and header timeout, every listener
    WsSessionOptions ws;                // WebSocket limits and timeouts
    // (The scenario's `timeouts` override http.header_timeout and ws.idle_timeout.)
    // How long stop() lets WebSocket clients answer the close frame before their sockets are closed.
    std::chrono::milliseconds shutdown_grace{1000};
    payload::Clock clock;  // empty: system_clock
    LogFunction log = stderr_log();
    // The certificate of producers with `tls: true`. Null: the scenario's `tls` files, or else a
    // self-signed certificate for localhost and 127.0.0.1 made at construction.
    std::shared_ptr<boost::asio::ssl::context> tls;
    // Threads that serve connections besides the io_context's own, one io_context each (IoPool):
    // 0 serves everything on the io_context; IoPool::default_workers() uses every core.
    std::size_t workers = 0;
};

// Where a producer can be reached.
struct ProducerUrl {
    std::string producer;  // its name
    scenario::ProducerType type;
    std::string url;  // "http://127.0.0.1:8081/events", "wss://[::1]:8082", "file:///tmp/data.tmp"
};

class ProducerSet {
public:
    // Builds every producer and binds every listener. Throws std::invalid_argument for a bad
    // scenario (a generator or cadence it cannot build, an unresolvable host, two producers on one
    // address and path, a TLS certificate that cannot be loaded) and BindError for an address that
    // cannot be bound (the message names it).
    ProducerSet(boost::asio::io_context& io, const scenario::Scenario& scenario, ProducerSetOptions options = {});
    ~ProducerSet();  // stop()
    ProducerSet(const ProducerSet&) = delete;
    ProducerSet& operator=(const ProducerSet&) = delete;

    // FILE producers write their first value (throwing std::system_error when they cannot, and then
    // nothing runs), then every producer emits its first event and every listener accepts.
    void start();
    // Stops emitting and accepting and closes every connection. Idempotent.
    void stop();

    // In scenario order.
    const std::vector<ProducerUrl>& urls() const noexcept { return urls_; }
    std::size_t size() const noexcept { return producers_.size(); }
    // nullptr when there is no producer of that name.
    Producer* find(std::string_view name) const;
    std::vector<Producer*> producers() const;

    // The bound listener of an HTTP producer (with the real port when 0 was asked), absent for a
    // FILE producer or an unknown name.
    std::optional<boost::asio::ip::tcp::endpoint> endpoint(std::string_view name) const;
    std::optional<std::filesystem::path> file_path(std::string_view name) const;

    // Every producer's and listener's counters added up.
    StatsSnapshot totals() const;
    std::uint64_t seed() const noexcept { return seed_; }
    // Some producer serves TLS with a certificate made at start (clients must skip verification).
    bool self_signed_tls() const noexcept { return self_signed_tls_; }

private:
    struct Listening;
    struct Entry {
        std::shared_ptr<Producer> producer;
        std::shared_ptr<Listening> listening;  // null for FILE producers
    };

    std::unique_ptr<IoPool> pool_;  // first: outlives everything bound to its contexts
    ProducerSetOptions options_;
    std::uint64_t seed_;
    std::vector<Entry> producers_;
    std::vector<std::shared_ptr<Listening>> listeners_;
    std::vector<ProducerUrl> urls_;
    bool self_signed_tls_ = false;
    bool started_ = false;
    bool stopped_ = false;
};

}  // namespace evsim::producers
