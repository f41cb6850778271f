// WebSocket (push): every event of the feed as one message, the same bytes to every client, like
// ws.py without its blocking sleep. Options from the scenario's `ws` block: binary frames, a ping
// after `ping` without traffic from the client (and the connection dropped after twice that),
// a subprotocol agreed to when offered, permessage-deflate.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "evsim/producers/producer.hpp"
#include "evsim/producers/ws_session.hpp"

namespace evsim::producers {

// `session` holds the limits and timeouts; the scenario's `ws` block overrides what it sets.
// Throws payload::SpecError for a bad cadence or payload.
std::shared_ptr<HttpProducer> make_ws_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                               const ProducerContext& context, WsSessionOptions session = {});

}  // namespace evsim::producers
