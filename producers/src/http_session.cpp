#include "evsim/producers/http_session.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <utility>

#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/listener.hpp"

namespace evsim::producers {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// After answering a bad request, how long and how much the session keeps reading (and discarding)
// before closing. Closing a socket with unread input makes the kernel send RST, which can destroy
// the error response before the client has read it.
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::uint64_t linger_bytes = 1U << 20U;

bool is_parse_error(const beast::error_code& error) {
    return error.category() == beast::http::make_error_code(http::error::bad_method).category();
}

}  // namespace

namespace {

net::MaybeTlsStream make_stream(asio::ip::tcp::socket socket, const HttpSessionContext& context) {
    beast::tcp_stream tcp(std::move(socket));
    if (context.tls) return net::MaybeTlsStream(std::move(tcp), *context.tls);
    return net::MaybeTlsStream(std::move(tcp));
}

}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, std::shared_ptr<const HttpSessionContext> context)
    : stream_(make_stream(std::move(socket), *context)), context_(std::move(context)) {
    beast::error_code error;
    const auto remote = stream_.socket().remote_endpoint(error);
    peer_ = error ? std::string("unknown peer") : to_string(remote);
}

void HttpSession::start() {
    registration_ = context_->connections->add(shared_from_this(), stream_.get_executor());
    auto* tls = stream_.tls();
    if (!tls) {
        read_request();
        return;
    }
    // A client that connects and never finishes the handshake is bounded like one that never sends
    // a request.
    stream_.tcp().expires_after(context_->options.header_timeout);
    tls->async_handshake(asio::ssl::stream_base::server,
                         [self = shared_from_this()](const beast::error_code& error) { self->on_handshake(error); });
}

void HttpSession::on_handshake(const beast::error_code& error) {
    if (done_) return;
    if (!error) {
        read_request();
        return;
    }
    context_->stats->requests_rejected.fetch_add(1, std::memory_order_relaxed);
    if (error == beast::error::timeout) {
        log("closed: no TLS handshake within " + std::to_string(context_->options.header_timeout.count()) + " ms");
    } else {
        // A plain-HTTP client on a TLS port ends up here too ("http request"), as do clients that
        // refuse the certificate ("tlsv1 alert unknown ca" and the like).
        log("TLS handshake failed: " + error.message());
    }
    abort();
}

void HttpSession::abort() {
    if (done_) return;
    done_ = true;
    if (delay_timer_) delay_timer_->cancel();
    stream_.tcp().close();  // also cancels the stream's timer; pending handlers see done_ and return
}

void HttpSession::read_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(context_->options.header_limit));
    parser_->body_limit(context_->options.body_limit);
    stream_.tcp().expires_after(context_->options.header_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](const beast::error_code& error, std::size_t) { self->on_read(error); });
}

void HttpSession::on_read(const beast::error_code& error) {
    if (done_) return;
    if (error) {
        on_read_error(error);
        return;
    }
    stream_.tcp().expires_never();
    ++requests_;
    dispatch(parser_->release());
}

void HttpSession::on_read_error(const beast::error_code& error) {
    if (error == http::error::header_limit) {
        reject(http::status::request_header_fields_too_large,
               "request header larger than " + std::to_string(context_->options.header_limit) + " bytes");
    } else if (error == http::error::body_limit) {
        reject(http::status::payload_too_large,
               "request body larger than " + std::to_string(context_->options.body_limit) + " bytes");
    } else if (error == beast::error::timeout) {
        // Idle keep-alive connections time out all the time; only a connection that never
        // completed a request is worth a log line.
        if (requests_ == 0) {
            context_->stats->requests_rejected.fetch_add(1, std::memory_order_relaxed);
            log("closed: no complete request within " + std::to_string(context_->options.header_timeout.count()) +
                " ms");
        }
        abort();
    } else if (error == http::error::end_of_stream || error == http::error::partial_message || !is_parse_error(error)) {
        // The client went away (cleanly or not): no one to answer.
        abort();
    } else {
        reject(http::status::bad_request, "malformed request: " + error.message());
    }
}

void HttpSession::dispatch(Request request) {
    if (request.version() != 10 && request.version() != 11) {
        reject(http::status::http_version_not_supported, "HTTP version " + std::to_string(request.version() / 10) +
                                                             "." + std::to_string(request.version() % 10));
        return;
    }
    // RFC 9112 section 3.2: an HTTP/1.1 request without Host must be answered 400.
    if (request.version() == 11 && request.find(http::field::host) == request.end()) {
        reject(http::status::bad_request, "HTTP/1.1 request without Host header");
        return;
    }
    // The handler belongs to the producers' thread. A session served on another context (IoPool)
    // asks it there and carries on with the answer back on its own thread.
    const auto own = stream_.get_executor();
    if (!context_->home || context_->home == own) {
        auto result = run_handler(request);
        apply(std::move(request), std::move(result));
        return;
    }
    auto shared = std::make_shared<Request>(std::move(request));
    asio::post(context_->home, [self = shared_from_this(), shared, own] {
        auto result = self->run_handler(*shared);
        asio::post(own, [self, shared, result = std::move(result)]() mutable {
            if (!self->done_) self->apply(std::move(*shared), std::move(result));
        });
    });
}

std::optional<HandlerResult> HttpSession::run_handler(const Request& request) const {
    try {
        return context_->handler(request);
    } catch (const std::exception& e) {
        // A handler bug must cost one connection, not the server.
        log(std::string("500 handler failed: ") + e.what());
        return std::nullopt;
    }
}

void HttpSession::apply(Request request, std::optional<HandlerResult> handled) {
    if (!handled) {
        write(make_error_response(http::status::internal_server_error, "internal error"), true);
        return;
    }
    auto& result = *handled;
    if (auto* take_over = std::get_if<TakeOver>(&result)) {
        // The stream belongs to the new session from here on. Bytes the client pipelined after this
        // request are dropped with buffer_: neither EventSource nor WebSocket clients send any.
        done_ = true;
        (*take_over)(std::move(stream_), std::move(request));
        return;
    }
    if (auto* delayed = std::get_if<DelayedResponse>(&result)) {
        respond_later(request, std::move(*delayed));
        return;
    }
    respond(request.keep_alive(), std::move(std::get<Response>(result)));
}

void HttpSession::respond(bool request_keep_alive, Response response) {
    // need_eof: a body without length (none of ours, but a handler could) ends at close.
    const bool close_after = !request_keep_alive || !response.keep_alive() || response.need_eof();
    response.keep_alive(!close_after);
    write(std::move(response), close_after);
}

void HttpSession::respond_later(const Request& request, DelayedResponse delayed) {
    // Only what respond() needs of the request is kept; the timer is the stream's own, so abort()
    // (closing the stream) cancels nothing that could outlive the session.
    delay_timer_.emplace(stream_.get_executor());
    delay_timer_->expires_after(delayed.delay);
    const bool keep_alive = request.keep_alive();
    response_ = std::move(delayed.response);
    delay_timer_->async_wait([self = shared_from_this(), keep_alive](const beast::error_code& error) {
        if (self->done_ || error) return;
        self->delay_timer_.reset();
        auto response = std::move(*self->response_);
        self->response_.reset();
        self->respond(keep_alive, std::move(response));
    });
}

void HttpSession::reject(http::status status, std::string_view detail) {
    context_->stats->requests_rejected.fetch_add(1, std::memory_order_relaxed);
    log(std::to_string(static_cast<unsigned>(status)) + " " + std::string(http::obsolete_reason(status)) + " (" +
        std::string(detail) + ")");
    write(context_->options.json_errors ? make_json_error_response(status, detail) : make_error_response(status, detail),
          true);
}

void HttpSession::write(Response response, bool close_after) {
    response_ = std::move(response);
    // A client that never reads its answer must not hold the connection forever either.
    stream_.tcp().expires_after(context_->options.header_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), close_after](const beast::error_code& error, std::size_t) {
                          self->on_write(error, close_after);
                      });
}

void HttpSession::on_write(const beast::error_code& error, bool close_after) {
    if (done_) return;
    response_.reset();
    if (error) {
        abort();
    } else if (close_after) {
        linger_close();
    } else {
        read_request();
    }
}

void HttpSession::linger_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream_.tcp().expires_after(linger_time);
    drain();
}

void HttpSession::drain() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](const beast::error_code& error, std::size_t bytes) {
                                if (self->done_) return;
                                self->drained_ += bytes;
                                if (error || self->drained_ > linger_bytes) {
                                    self->abort();
                                } else {
                                    self->drain();
                                }
                            });
}

void HttpSession::log(std::string_view message) const {
    context_->log(context_->name + " " + peer_ + ": " + std::string(message));
}

}  // namespace evsim::producers
