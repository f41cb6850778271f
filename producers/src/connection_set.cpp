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

ConnectionSet::Registration ConnectionSet::add(const std::shared_ptr<Connection>& connection) {
    const std::uint64_t id = next_id_++;
    connections_.emplace(id, connection);
    if (closing_) {
        // A connection completing its handshake after stop(): end it, but not from inside the
        // caller's start(), which is still setting the connection up.
        boost::asio::post(io_, [weak = std::weak_ptr<Connection>(connection)] {
            if (auto c = weak.lock()) c->abort();
        });
    }
    return Registration(weak_from_this(), id);
}

void ConnectionSet::close_all(std::chrono::milliseconds grace) {
    if (closing_) return;
    closing_ = true;
    const auto connections = live();
    for (const auto& connection : connections) connection->close();
    if (connections_.empty()) return;
    grace_timer_.expires_after(grace);
    grace_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
        if (error) return;
        for (const auto& connection : self->live()) connection->abort();
    });
}

void ConnectionSet::remove(std::uint64_t id) noexcept {
    connections_.erase(id);
    if (closing_ && connections_.empty()) grace_timer_.cancel();
}

std::vector<std::shared_ptr<Connection>> ConnectionSet::live() const {
    // A snapshot: close() and abort() may end connections, which unregisters them from the map.
    std::vector<std::shared_ptr<Connection>> result;
    result.reserve(connections_.size());
    for (const auto& [id, weak] : connections_) {
        if (auto connection = weak.lock()) result.push_back(std::move(connection));
    }
    return result;
}

}  // namespace evsim::producers
