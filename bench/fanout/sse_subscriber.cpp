#include "sse_subscriber.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <string>

namespace evsim::bench::fanout {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {
// Connect and response header together; a server that takes longer is failing the benchmark.
constexpr auto handshake_timeout = std::chrono::seconds(30);
// The response header has to fit; the reads of the body never need more than one chunk header.
constexpr std::size_t read_buffer_limit = 16 * 1024;
}  // namespace

SseSubscriber::SseSubscriber(asio::io_context& io, const Target& target, Tally& tally)
    : target_(target), tally_(tally), stream_(io), buffer_(read_buffer_limit), sse_(*this) {}

void SseSubscriber::start() {
    ++tally_.started;
    stream_.expires_after(handshake_timeout);
    stream_.async_connect(target_.endpoint, [self = shared_from_this()](const boost::system::error_code& error) {
        self->on_connect(error);
    });
}

void SseSubscriber::stop() {
    stopped_ = true;
    stream_.close();
}

void SseSubscriber::on_event(const sse::Event& /*event*/) { ++events_; }

void SseSubscriber::on_connect(const boost::system::error_code& error) {
    if (stopped_) return;
    if (error) {
        fail(Stage::connect, describe("connect", error));
        return;
    }
    // The request is small: it goes out in one write, and the header read waits for the answer.
    asio::async_write(stream_, asio::buffer(*target_.sse_request),
                      [self = shared_from_this()](const boost::system::error_code& write_error, std::size_t) {
                          if (self->stopped_) return;
                          if (write_error) {
                              self->fail(Stage::handshake, describe("send request", write_error));
                              return;
                          }
                          self->http_.emplace();
                          self->http_->body_limit(boost::none);  // an event stream has no end
                          http::async_read_header(self->stream_, self->buffer_, *self->http_,
                                                  [self](const boost::system::error_code& e, std::size_t) {
                                                      self->on_header(e);
                                                  });
                      });
}

void SseSubscriber::on_header(const boost::system::error_code& error) {
    if (stopped_) return;
    if (error) {
        fail(Stage::handshake, describe("response header", error));
        return;
    }
    const auto& response = http_->get();
    if (response.result() != http::status::ok) {
        fail(Stage::handshake, "response status " + std::to_string(response.result_int()) + " (expected 200)");
        return;
    }
    const auto type = response[http::field::content_type];
    if (type.substr(0, 17) != "text/event-stream") {
        fail(Stage::handshake, "Content-Type '" + std::string(type) + "' (expected text/event-stream)");
        return;
    }
    stream_.expires_never();
    established_ = true;
    ++tally_.established;
    ++tally_.concluded;
    read_body();
}

void SseSubscriber::read_body() {
    auto& body = http_->get().body();
    body.data = body_.data();
    body.size = body_.size();
    http::async_read_some(stream_, buffer_, *http_,
                          [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                              self->on_body(error);
                          });
}

void SseSubscriber::on_body(const boost::system::error_code& error) {
    if (stopped_) return;
    // need_buffer only says body_ is full: the bytes in it are good.
    if (error && error != http::error::need_buffer) {
        fail(Stage::stream, describe("stream", error));
        return;
    }
    const std::size_t filled = body_.size() - http_->get().body().size;
    if (sse_.feed(std::string_view(body_.data(), filled)) != sse::ParseError::none) {
        fail(Stage::stream, "stream: " + std::string(sse::to_string(sse_.error())));
        return;
    }
    if (http_->is_done()) {
        fail(Stage::stream, "stream: the server ended the response");
        return;
    }
    read_body();
}

void SseSubscriber::fail(Stage stage, const std::string& what) {
    tally_.fail(stage, what);
    stopped_ = true;
    stream_.close();
}

}  // namespace evsim::bench::fanout
