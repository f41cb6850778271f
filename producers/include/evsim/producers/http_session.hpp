// One HTTP connection: reads requests under the size and time limits, answers malformed ones (400,
// 413, 431) and closes, passes good ones to the server's handler, keeps the connection alive
// between requests, and hands it over when the handler takes it (SSE, WebSocket). With a TLS
// context it is an https connection: the handshake comes first, under the header timeout.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "evsim/net/maybe_tls_stream.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/http_types.hpp"
#include "evsim/producers/log.hpp"
#include "evsim/producers/stats.hpp"

namespace evsim::producers {

// What every session of one server shares.
struct HttpSessionContext {
    std::string name;  // "fetch", "sse", "ws": the first word of log lines
    HttpOptions options;
    RequestHandler handler;
    LogFunction log;
    std::shared_ptr<ConnectionSet> connections;
    std::shared_ptr<EmitterStats> stats;
    // Set: every connection is TLS (https, wss), with this context's certificate.
    std::shared_ptr<boost::asio::ssl::context> tls;
    // Where `handler` runs (the producers' thread). Sessions on other contexts post requests there;
    // empty: the handler runs on each session's own thread.
    boost::asio::any_io_executor home;
};

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<const HttpSessionContext> context);

    // Registers the connection and reads the first request (after the TLS handshake, if any).
    void start();
    boost::asio::any_io_executor get_executor() { return stream_.get_executor(); }
    void close() override { abort(); }  // nothing to say before an HTTP connection closes
    void abort() override;

private:
    void on_handshake(const boost::beast::error_code& error);
    void read_request();
    void on_read(const boost::beast::error_code& error);
    void on_read_error(const boost::beast::error_code& error);
    void dispatch(Request request);
    // The handler's answer, or nothing when it threw (logged). Runs on the handler's thread.
    std::optional<HandlerResult> run_handler(const Request& request) const;
    // Carries out the handler's answer on this session's thread.
    void apply(Request request, std::optional<HandlerResult> handled);
    void respond(bool request_keep_alive, Response response);
    void respond_later(const Request& request, DelayedResponse delayed);
    void reject(boost::beast::http::status status, std::string_view detail);
    void write(Response response, bool close_after);
    void on_write(const boost::beast::error_code& error, bool close_after);
    void linger_close();
    void drain();
    void log(std::string_view message) const;

    net::MaybeTlsStream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::optional<Response> response_;  // kept alive while async_write runs (or a delay)
    std::optional<boost::asio::steady_timer> delay_timer_;  // only while a DelayedResponse waits
    std::shared_ptr<const HttpSessionContext> context_;
    ConnectionSet::Registration registration_;
    std::string peer_;
    std::uint64_t requests_ = 0;
    std::uint64_t drained_ = 0;
    bool done_ = false;  // closed, or handed over to another session
};

}  // namespace evsim::producers
