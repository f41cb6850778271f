// An EventSource client that behaves as the WHATWG HTML Standard's processing model (9.2.3) says a
// browser's does: it announces the connection on a 200 text/event-stream response, fails it (no
// reconnect) on any other status or content type, follows redirects, and re-establishes it after the
// stream ends or a network error: it waits the reconnection time (which `retry` may change) and sends
// the last event ID as `Last-Event-ID`. `evsim listen`, the load generator and the conformance
// checker all use this one client.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evsim/core/sse_parser.hpp"
#include <boost/asio/ssl/context.hpp>

#include "evsim/net/tls.hpp"

namespace evsim::loadgen {

enum class ReadyState { connecting = 0, open = 1, closed = 2 };

struct EventSourceOptions {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
    std::chrono::milliseconds reconnection_time{3000};         // until the stream sends `retry`
    std::chrono::milliseconds connect_timeout{10000};          // TCP + TLS + response headers
    std::string last_event_id;                                 // seed, sent on the first request too
    int max_redirects = 20;                                    // as fetch
    net::ClientTlsOptions tls;
    // A TLS context to share between many clients (the load generator has one per thread: making
    // one loads the system's trust store). Null: the client makes its own at its first https request.
    // Verification follows tls.verify_peer either way.
    std::shared_ptr<boost::asio::ssl::context> tls_context;
    sse::ParserLimits limits;
};

// Why the client fired an error event.
struct ErrorInfo {
    enum class Kind {
        network,       // connect, TLS, read or write failed: the client reconnects
        stream_ended,  // the response body ended: the client reconnects
        status,        // not 200 (204 included): the connection failed, no reconnect
        content_type,  // not text/event-stream: failed
        redirect,      // too many redirects or a bad Location: failed
        parse_limit,   // a line or event over the parser's limits: failed
    };
    Kind kind = Kind::network;
    int status = 0;       // the HTTP status, when there was one
    std::string message;  // human-readable detail
};

std::string_view to_string(ErrorInfo::Kind kind);

// Called on the client's executor. After close() has run there (see EventSourceClient::close) no
// further calls are made.
class EventSourceObserver {
public:
    virtual ~EventSourceObserver() = default;
    virtual void on_open() {}
    virtual void on_message(const sse::Event& /*event*/) {}
    // `state` is connecting when the client will reconnect, closed when it failed for good.
    virtual void on_error(ReadyState /*state*/, const ErrorInfo& /*info*/) {}
    virtual void on_comment(std::string_view /*text*/) {}
    // Bytes of the response body as they arrive, before parsing (the load generator counts them).
    virtual void on_bytes(std::size_t /*count*/) {}
    virtual void on_retry(std::chrono::milliseconds /*reconnection_time*/) {}
    // A request is about to be sent (first connection, reconnect or redirect).
    virtual void on_request(const std::string& /*url*/, const std::string& /*last_event_id*/) {}
};

class EventSourceClient {
public:
    // Throws net::UrlError for a URL it cannot connect to.
    EventSourceClient(boost::asio::any_io_executor executor, EventSourceOptions options, EventSourceObserver& observer);
    ~EventSourceClient();  // close(): the same threading rules apply
    EventSourceClient(const EventSourceClient&) = delete;
    EventSourceClient& operator=(const EventSourceClient&) = delete;

    void start();
    // Like EventSource.close(): aborts any request or wait. Called on the executor's thread it takes
    // effect at once and no observer call follows. Called from another thread it is posted to the
    // executor and returns before it has run: observer calls may still happen until then, so destroy
    // the observer only after the io_context has stopped (or close on the executor's thread). The
    // client expects a single-threaded executor (an io_context run by one thread, or a strand).
    void close();

    // These read state owned by the executor's thread: call them there (for example from the observer).
    ReadyState ready_state() const;
    const std::string& last_event_id() const;
    std::chrono::milliseconds reconnection_time() const;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace evsim::loadgen
