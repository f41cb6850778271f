// SSE (push): every event of the feed as a text/event-stream block, encoded once and written to
// every client. Options from the scenario's `sse` block: a `retry:` line on connect, keep-alive
// comments while idle, `id:` lines (counter or measurement stamps), LF or CRLF framing, and a replay
// ring so a client reconnecting with Last-Event-ID gets what it missed instead of only the latest
// values. With the defaults the bytes are exactly sse.py's.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "evsim/producers/producer.hpp"

namespace evsim::producers {

// Throws payload::SpecError for a bad cadence or payload.
std::shared_ptr<HttpProducer> make_sse_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                                const ProducerContext& context);

}  // namespace evsim::producers
