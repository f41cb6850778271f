// The live connections of one server, so stop() can end them all: politely first (a WebSocket close
// frame), then by closing the sockets of whatever is still open after a grace period.
//
// Threading: connections may live on other io_contexts than the set (IoPool). add() and the
// Registration's release are safe from any thread; close_all() runs on the set's own thread and
// calls each connection's close() and abort() on the connection's executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
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

    // Adds a connection whose handlers run on `executor`. After close_all() a newcomer is aborted at
    // once (from a posted handler, never inside this call).
    Registration add(const std::shared_ptr<Connection>& connection, const boost::asio::any_io_executor& executor);

    // close() on every connection; abort() on those still registered after `grace`. The grace
    // timer is cancelled as soon as the last connection is gone, so an io_context does not wait
    // for it needlessly.
    void close_all(std::chrono::milliseconds grace);

    std::size_t size() const;
    bool closing() const noexcept { return closing_; }

private:
    struct PrivateTag {};

public:
    ConnectionSet(PrivateTag, boost::asio::io_context& io);

private:
    struct Entry {
        std::weak_ptr<Connection> connection;
        boost::asio::any_io_executor executor;
    };
    using Live = std::vector<std::pair<std::shared_ptr<Connection>, boost::asio::any_io_executor>>;

    void remove(std::uint64_t id) noexcept;
    Live live() const;
    // Calls `end(connection)` on the connection's own thread: inline when that is this one.
    void on_each(const Live& connections, void (*end)(Connection&)) const;

    boost::asio::io_context& io_;
    boost::asio::steady_timer grace_timer_;  // touched on io_'s thread only
    mutable std::mutex mutex_;              // guards connections_ and next_id_
    std::unordered_map<std::uint64_t, Entry> connections_;
    std::uint64_t next_id_ = 1;
    std::atomic<bool> closing_{false};
};

}  // namespace evsim::producers
