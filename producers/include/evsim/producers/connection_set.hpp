// The live connections of one server, so stop() can end them all: politely first (a WebSocket close
// frame), then by closing the sockets of whatever is still open after a grace period.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

namespace evsim::producers {

class Connection {
public:
    virtual ~Connection() = default;
    // Begins an orderly close; the connection ends on its own soon after.
    virtual void close() = 0;
    // Ends the connection now.
    virtual void abort() = 0;
};

class ConnectionSet : public std::enable_shared_from_this<ConnectionSet> {
public:
    // Held by a connection for its lifetime: its destructor takes the connection out of the set.
    // Safe to outlive the set.
    class Registration {
    public:
        Registration() = default;
        Registration(Registration&& other) noexcept;
        Registration& operator=(Registration&& other) noexcept;
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;
        ~Registration();

    private:
        friend class ConnectionSet;
        Registration(std::weak_ptr<ConnectionSet> set, std::uint64_t id) : set_(std::move(set)), id_(id) {}
        void release() noexcept;

        std::weak_ptr<ConnectionSet> set_;
        std::uint64_t id_ = 0;
    };

    static std::shared_ptr<ConnectionSet> create(boost::asio::io_context& io);

    // Adds a connection. After close_all() a newcomer is aborted at once (from a posted handler,
    // never inside this call).
    Registration add(const std::shared_ptr<Connection>& connection);

    // close() on every connection; abort() on those still registered after `grace`. The grace
    // timer is cancelled as soon as the last connection is gone, so an io_context does not wait
    // for it needlessly.
    void close_all(std::chrono::milliseconds grace);

    std::size_t size() const noexcept { return connections_.size(); }
    bool closing() const noexcept { return closing_; }

private:
    struct PrivateTag {};

public:
    ConnectionSet(PrivateTag, boost::asio::io_context& io);

private:
    void remove(std::uint64_t id) noexcept;
    std::vector<std::shared_ptr<Connection>> live() const;

    boost::asio::io_context& io_;
    boost::asio::steady_timer grace_timer_;
    std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections_;
    std::uint64_t next_id_ = 1;
    bool closing_ = false;
};

}  // namespace evsim::producers
