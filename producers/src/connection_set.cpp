#include "evsim/producers/connection_set.hpp"

#include <boost/asio/post.hpp>
#include <utility>

namespace evsim::producers {

ConnectionSet::Registration::Registration(Registration&& other) noexcept
    : set_(std::move(other.set_)), id_(std::exchange(other.id_, 0)) {}

ConnectionSet::Registration& ConnectionSet::Registration::operator=(Registration&& other) noexcept {
    if (this != &other) {
        release();
        set_ = std::move(other.set_);
        id_ = std::exchange(other.id_, 0);
    }
    return *this;
}

ConnectionSet::Registration::~Registration() { release(); }

void ConnectionSet::Registration::release() noexcept {
    if (id_ == 0) return;
    // The set may be gone already, for example when the io_context is destroyed after its owner.
    if (auto set = set_.lock()) set->remove(id_);
    id_ = 0;
    set_.reset();
}

std::shared_ptr<ConnectionSet> ConnectionSet::create(boost::asio::io_context& io) {
    return std::make_shared<ConnectionSet>(PrivateTag{}, io);
}

ConnectionSet::ConnectionSet(PrivateTag, boost::asio::io_context& io) : io_(io), grace_timer_(io) {}

ConnectionSet::Registration ConnectionSet::add(const std::shared_ptr<Connection>& connection,
                                               const boost::asio::any_io_executor& executor) {
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        id = next_id_++;
        connections_.emplace(id, Entry{connection, executor});
    }
    if (closing_) {
        // A connection completing its handshake after stop(): end it, but not from inside the
        // caller's start(), which is still setting the connection up.
        boost::asio::post(executor, [weak = std::weak_ptr<Connection>(connection)] {
            if (auto c = weak.lock()) c->abort();
        });
    }
    return Registration(weak_from_this(), id);
}

std::size_t ConnectionSet::size() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
}

void ConnectionSet::close_all(std::chrono::milliseconds grace) {
    if (closing_.exchange(true)) return;
    on_each(live(), [](Connection& c) { c.close(); });
    if (size() == 0) return;
    grace_timer_.expires_after(grace);
    grace_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
        if (error) return;
        self->on_each(self->live(), [](Connection& c) { c.abort(); });
    });
}

void ConnectionSet::on_each(const Live& connections, void (*end)(Connection&)) const {
    for (const auto& [connection, executor] : connections) {
        if (executor == io_.get_executor()) {
            end(*connection);
        } else {
            boost::asio::post(executor, [connection, end] { end(*connection); });
        }
    }
}

void ConnectionSet::remove(std::uint64_t id) noexcept {
    bool last = false;
    {
        std::lock_guard lock(mutex_);
        connections_.erase(id);
        last = connections_.empty();
    }
    if (!closing_ || !last) return;
    // The grace timer belongs to this set's thread.
    if (io_.get_executor().running_in_this_thread()) {
        grace_timer_.cancel();
    } else {
        boost::asio::post(io_, [weak = weak_from_this()] {
            if (auto self = weak.lock()) self->grace_timer_.cancel();
        });
    }
}

ConnectionSet::Live ConnectionSet::live() const {
    // A snapshot: close() and abort() may end connections, which unregisters them from the map.
    Live result;
    std::lock_guard lock(mutex_);
    result.reserve(connections_.size());
    for (const auto& [id, entry] : connections_) {
        if (auto connection = entry.connection.lock()) result.emplace_back(std::move(connection), entry.executor);
    }
    return result;
}

}  // namespace evsim::producers
