// One fetch of an event stream: connect (TCP, TLS), send the request, read the response head, and
// stream the body to a sink. The reconnect policy lives in EventSourceClient; this file knows HTTP.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evsim/net/url.hpp"

namespace evsim::loadgen::detail {

struct StreamRequest {
    net::Endpoint endpoint;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string last_event_id;
    std::chrono::milliseconds connect_timeout{10000};
    bool verify_peer = true;
};

struct ResponseHead {
    int status = 0;
    std::string content_type;
    std::string location;
};

class StreamSink {
public:
    virtual ~StreamSink() = default;
    // The response head arrived. Return false to stop without reading the body.
    virtual bool on_head(const ResponseHead& head) = 0;
    // A piece of the body. Return false to stop reading.
    virtual bool on_body(std::string_view bytes) = 0;
};

struct FetchOutcome {
    enum class Kind {
        stopped_by_sink,  // on_head or on_body returned false
        body_ended,       // the server ended the body (clean close or final chunk)
        network_error,    // anything that failed below HTTP semantics
    };
    Kind kind = Kind::network_error;
    std::string message;
};

// Lets the owner abort a fetch from outside: closing the socket makes every pending operation finish.
class AbortHandle {
public:
    void set(std::function<void()> abort) { abort_ = std::move(abort); }
    void clear() { abort_ = nullptr; }
    void abort() {
        if (abort_) abort_();
    }

private:
    std::function<void()> abort_;
};

boost::asio::awaitable<FetchOutcome> fetch_event_stream(const StreamRequest& request,
                                                        boost::asio::ssl::context& tls_context, StreamSink& sink,
                                                        AbortHandle& abort);

}  // namespace evsim::loadgen::detail
