#include "evsim/producers/sse_session.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>
#include <utility>

namespace evsim::producers {

namespace asio = boost::asio;
namespace http = boost::beast::http;

std::string sse_response_header() {
    // Close-delimited body: no Content-Length and no Transfer-Encoding. HTTP/1.1 allows it for
    // responses (RFC 9112 section 6.3, rule 8), EventSource and curl read it, and the wire carries
    // the events and nothing else, exactly like sse.py. `Connection: keep-alive` is kept because
    // the sample sends it; it is set by hand since Beast drops it as redundant in HTTP/1.1.
    http::response<http::empty_body> response{http::status::ok, 11};
    response.set(http::field::content_type, "text/event-stream");
    response.set(http::field::access_control_allow_origin, "*");
    response.set(http::field::cache_control, "no-cache");
    response.set(http::field::connection, "keep-alive");
    std::ostringstream out;
    out << response.base();  // status line, fields and the blank line
    return std::move(out).str();
}

SseSession::SseSession(asio::ip::tcp::socket socket, Message response_header, std::size_t queue_capacity,
                       std::shared_ptr<EmitterStats> stats)
    : socket_(std::move(socket)), queue_(queue_capacity), stats_(std::move(stats)) {
    in_flight_.push_back(std::move(response_header));
}

void SseSession::start(ConnectionSet& connections) {
    registration_ = connections.add(shared_from_this());
    write_in_flight();  // the header, queued by the constructor
    watch_for_close();
}

void SseSession::deliver(const Message& message) {
    if (closed_) return;
    if (queue_.push(message)) stats_->events_dropped.fetch_add(1, std::memory_order_relaxed);
    if (in_flight_.empty()) {
        queue_.take(in_flight_, max_batch);
        write_in_flight();
    }
}

void SseSession::abort() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void SseSession::write_in_flight() {
    buffers_.clear();
    for (const auto& message : in_flight_) buffers_.push_back(asio::buffer(*message));
    asio::async_write(socket_, buffers_,
                      [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                          self->on_write(error);
                      });
}

void SseSession::on_write(const boost::system::error_code& error) {
    in_flight_.clear();
    if (closed_) return;
    if (error) {
        abort();
        return;
    }
    if (!queue_.empty()) {
        queue_.take(in_flight_, max_batch);
        write_in_flight();
    }
}

void SseSession::watch_for_close() {
    // A pending read is how a server learns that an SSE client went away between events; what the
    // client sends (nothing, normally) is discarded.
    socket_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                                if (self->closed_) return;
                                if (error) {
                                    self->abort();
                                } else {
                                    self->watch_for_close();
                                }
                            });
}

}  // namespace evsim::producers
