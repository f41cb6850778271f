// A TCP acceptor: binds at construction (so a busy port fails early and port 0 is resolved before
// anything is printed), then accepts until stopped and hands each socket, with TCP_NODELAY set, to
// a callback. Small event frames must not wait for Nagle's algorithm.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "evsim/producers/io_pool.hpp"
#include "evsim/producers/log.hpp"

namespace evsim::producers {

// The address or port cannot be bound (in use, not local, no permission). The message names them.
class BindError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The address to bind for a --host value: an IP literal as is, a name through the resolver (IPv4
// preferred, since "localhost" usually means 127.0.0.1 to the samples' users). Throws
// std::invalid_argument when it is neither. Blocks: call before the io_context runs.
boost::asio::ip::address resolve_bind_address(std::string_view host);

// "127.0.0.1:8080", "[::1]:8080".
std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);

class Listener : public std::enable_shared_from_this<Listener> {
public:
    using AcceptHandler = std::function<void(boost::asio::ip::tcp::socket socket)>;

    // `name` ("fetch", "sse", "ws") appears in error messages. Accepted sockets belong to
    // `pool->next()` (null: to `io`). Throws BindError.
    static std::shared_ptr<Listener> create(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                                            std::string name, AcceptHandler on_accept, LogFunction log,
                                            IoPool* pool = nullptr);

    void start();
    // Closes the acceptor; no callback runs afterwards.
    void stop();

    // The bound endpoint, with the real port when 0 was asked for.
    boost::asio::ip::tcp::endpoint local_endpoint() const noexcept { return endpoint_; }

private:
    struct PrivateTag {};

public:
    Listener(PrivateTag, boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, std::string name,
             AcceptHandler on_accept, LogFunction log, IoPool* pool);

private:
    void accept();
    void on_accept(const boost::system::error_code& error, boost::asio::ip::tcp::socket socket);

    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer backoff_;  // after EMFILE and the like: retry later instead of spinning
    boost::asio::ip::tcp::endpoint endpoint_;
    std::string name_;
    AcceptHandler on_accept_;
    LogFunction log_;
    IoPool* pool_;
    bool running_ = false;
    bool failing_ = false;  // in a streak of accept failures: logged once, not every retry
};

}  // namespace evsim::producers
