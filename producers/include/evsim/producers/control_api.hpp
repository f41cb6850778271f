// The control API of a running ProducerSet: a small JSON-over-HTTP endpoint of its own (not on a
// producer's port, so it never shadows a scenario path) for health checks, counters, and publishing
// an event on demand. Routes and shapes: docs/producers.md, "Control API".
//
// Threading: like ProducerSet, construct, start(), stop() and destroy on the io_context's thread or
// while it is not running; requests are answered on that thread, so they touch the set safely.
// The ProducerSet must outlive the ControlApi.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "evsim/producers/http_server.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/producer_set.hpp"

namespace evsim::producers {

struct ControlApiOptions {
    std::string host = "127.0.0.1";  // loopback: anyone who reaches it can publish
    std::uint16_t port = 0;          // 0: any free port (see endpoint())
    std::uint64_t body_limit = 1024 * 1024;
    LogFunction log = stderr_log();
};

class ControlApi {
public:
    // Binds now: throws BindError (the message names the address).
    ControlApi(boost::asio::io_context& io, ProducerSet& set, ControlApiOptions options = {});
    ~ControlApi();  // stop()
    ControlApi(const ControlApi&) = delete;
    ControlApi& operator=(const ControlApi&) = delete;

    void start();
    void stop();  // idempotent

    boost::asio::ip::tcp::endpoint endpoint() const noexcept { return server_->endpoint(); }
    std::string url() const;  // "http://127.0.0.1:PORT"

private:
    struct State;
    std::shared_ptr<State> state_;  // what the request handler reads; it holds only a weak_ptr
    std::optional<HttpServer> server_;
    bool stopped_ = false;
};

}  // namespace evsim::producers
