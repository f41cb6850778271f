#include "evsim/producers/listener.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/system_error.hpp>
#include <utility>

namespace evsim::producers {

namespace asio = boost::asio;
using asio::ip::tcp;

asio::ip::address resolve_bind_address(std::string_view host) {
    if (host.empty()) throw std::invalid_argument("empty host");
    std::string name(host);
    // "[::1]" is how IPv6 literals appear in URLs; accept it here too.
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
    boost::system::error_code error;
    const auto literal = asio::ip::make_address(name, error);
    if (!error) return literal;

    asio::io_context io;
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(name, "", error);
    if (error || results.empty()) {
        throw std::invalid_argument("cannot resolve host '" + name + "'" + (error ? ": " + error.message() : ""));
    }
    for (const auto& entry : results) {
        if (entry.endpoint().address().is_v4()) return entry.endpoint().address();
    }
    return results.begin()->endpoint().address();
}

std::string to_string(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(endpoint.port());
}

std::shared_ptr<Listener> Listener::create(asio::io_context& io, const tcp::endpoint& endpoint, std::string name,
                                           AcceptHandler on_accept, LogFunction log, IoPool* pool) {
    return std::make_shared<Listener>(PrivateTag{}, io, endpoint, std::move(name), std::move(on_accept),
                                      std::move(log), pool);
}

Listener::Listener(PrivateTag, asio::io_context& io, const tcp::endpoint& endpoint, std::string name,
                   AcceptHandler on_accept, LogFunction log, IoPool* pool)
    : acceptor_(io),
      backoff_(io),
      name_(std::move(name)),
      on_accept_(std::move(on_accept)),
      log_(std::move(log)),
      pool_(pool) {
    boost::system::error_code error;
    const auto fail = [&](const char* what) {
        throw BindError("cannot listen on " + to_string(endpoint) + " (" + name_ + "): " + what + ": " +
                        error.message() +
                        (error == asio::error::address_in_use
                             ? " - is another server running on port " + std::to_string(endpoint.port()) + "?"
                             : std::string()));
    };
    acceptor_.open(endpoint.protocol(), error);
    if (error) fail("open");
    // SO_REUSEADDR lets a restarted server bind while old connections sit in TIME_WAIT; on Linux
    // it still refuses a port another socket is listening on.
    acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
    if (error) fail("set SO_REUSEADDR");
    acceptor_.bind(endpoint, error);
    if (error) fail("bind");
    acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) fail("listen");
    endpoint_ = acceptor_.local_endpoint(error);
    if (error) fail("local_endpoint");
}

void Listener::start() {
    if (running_) return;
    running_ = true;
    accept();
}

void Listener::stop() {
    running_ = false;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    backoff_.cancel();
    on_accept_ = nullptr;  // releases what the callback captured
}

void Listener::accept() {
    auto handler = [self = shared_from_this()](const boost::system::error_code& error, tcp::socket socket) {
        self->on_accept(error, std::move(socket));
    };
    if (pool_) {
        acceptor_.async_accept(pool_->next(), std::move(handler));  // the socket is served there
    } else {
        acceptor_.async_accept(std::move(handler));
    }
}

void Listener::on_accept(const boost::system::error_code& error, tcp::socket socket) {
    if (!running_) return;
    if (error) {
        if (error == asio::error::connection_aborted || error == asio::error::connection_reset ||
            error == asio::error::try_again || error == asio::error::would_block ||
            error == asio::error::interrupted) {
            accept();  // this one connection failed (a client reset before accept): go on at once
            return;
        }
        // Out of file descriptors or memory, and anything unexpected: the condition is likely to
        // persist, so retrying at once would spin. Pending connections wait in the backlog meanwhile.
        if (!failing_) {
            log_(name_ + " " + to_string(endpoint_) + ": accept failed: " + error.message() +
                 "; retrying every 100 ms");
        }
        failing_ = true;
        backoff_.expires_after(std::chrono::milliseconds(100));
        backoff_.async_wait([self = shared_from_this()](const boost::system::error_code& wait_error) {
            if (!wait_error && self->running_) self->accept();
        });
        return;
    }
    if (failing_) log_(name_ + " " + to_string(endpoint_) + ": accepting again");
    failing_ = false;
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto handler = on_accept_;  // a copy: the handler may stop() this listener, which drops on_accept_
    handler(std::move(socket));
    if (running_) accept();
}

}  // namespace evsim::producers
