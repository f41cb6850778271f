// FETCH (pull): every GET answers a fresh value as text/plain, like fetch.py.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "evsim/producers/emitter_context.hpp"
#include "evsim/producers/http_server.hpp"
#include "evsim/producers/http_types.hpp"
#include "evsim/producers/value_source.hpp"

namespace evsim::producers {

struct FetchOptions {
    bool enabled = true;
    std::uint16_t port = 8080;           // 0: any free port
    std::optional<std::string> path;     // absent: every path; otherwise others get 404
};

// The request handling alone, without sockets: GET 200 with the value, HEAD the same without body,
// OPTIONS a CORS preflight, anything else 405.
class FetchHandler {
public:
    FetchHandler(std::optional<std::string> path, std::uint64_t seed);

    Response handle(const Request& request);

private:
    std::optional<std::string> path_;
    ValueSource values_;
};

class FetchEmitter {
public:
    // Binds now: throws BindError.
    FetchEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                 const FetchOptions& options, const EmitterContext& context);

    void start();
    void stop(std::chrono::milliseconds grace);
    boost::asio::ip::tcp::endpoint endpoint() const noexcept { return server_.endpoint(); }

private:
    HttpServer server_;
};

}  // namespace evsim::producers
