// What every dialect producer does to open one SSE stream: the response head (200,
// text/event-stream, no caching, the producer's CORS headers for the request), and the hand-over
// between threads: the request is answered on the producer's thread, the stream opens on its
// connection's thread, and the producer learns the session back on its own thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "evsim/core/scenario.hpp"
#include "evsim/net/maybe_tls_stream.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/http_types.hpp"
#include "evsim/producers/sse_session.hpp"
#include "evsim/producers/stats.hpp"

namespace evsim::producers {

// The head, followed by `first_bytes` (a comment the dialect opens every stream with, say). Null
// `cors`: no CORS headers.
Message dialect_stream_head(const scenario::CorsPolicy* cors, const Request& request, std::string_view first_bytes = {});

// On the connection's thread: the stream's session (none when `stopped`), started in `connections`;
// then `opened(session, executor)` runs on the producer's thread (`producer_io`).
template <class Opened>
void open_dialect_stream(boost::asio::io_context& producer_io, net::MaybeTlsStream connection, Message head,
                         bool stopped, const scenario::QueueSettings& queue, const std::shared_ptr<EmitterStats>& stats,
                         ConnectionSet& connections, Opened opened) {
    std::shared_ptr<SseSession> session;
    boost::asio::any_io_executor executor = connection.get_executor();
    if (!stopped) {
        session = std::make_shared<SseSession>(std::move(connection), std::move(head), queue, stats);
        session->start(connections);
    }
    boost::asio::post(producer_io, [session = std::move(session), executor = std::move(executor),
                                    opened = std::move(opened)]() mutable { opened(std::move(session), executor); });
}

}  // namespace evsim::producers
