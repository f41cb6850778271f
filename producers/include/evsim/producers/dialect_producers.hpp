// Producers that emulate the real servers of the reference documents (docs/dialects.md), each with
// that server's routes, wire format and error statuses.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "evsim/producers/producer.hpp"

namespace evsim::producers {

// The Python event-source library's listener (reference 001): GET /poll/TOKEN listens (one
// listener per token, a second gets 423), POST /ACTION/TOKEN pushes the body as event ACTION.
std::shared_ptr<HttpProducer> make_eventsource_lib_producer(boost::asio::io_context& io,
                                                            const scenario::ProducerSpec& spec,
                                                            const ProducerContext& context);

// The time-series database's watch API (reference 002): GET /db/watch/{table} with the document's
// parameters; rows inserted at the producer's cadence.
std::shared_ptr<HttpProducer> make_machbase_watch_producer(boost::asio::io_context& io,
                                                           const scenario::ProducerSpec& spec,
                                                           const ProducerContext& context);

// The server-side push module (reference 004): /eventsource, named-event filters, targeted pushes,
// Last-Event-ID replay and pause.
std::shared_ptr<HttpProducer> make_wakanda_push_producer(boost::asio::io_context& io,
                                                         const scenario::ProducerSpec& spec,
                                                         const ProducerContext& context);

// The industrial controller's data layer (reference 003): bearer tokens from a mock identity
// manager, subscriptions of nodes created by POST, their SSE streams of update, keepalive and error
// events; TLS by default.
std::shared_ptr<HttpProducer> make_ctrlx_datalayer_producer(boost::asio::io_context& io,
                                                            const scenario::ProducerSpec& spec,
                                                            const ProducerContext& context);

// The dialect producer `spec.dialect` names.
std::shared_ptr<HttpProducer> make_dialect_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                                    const ProducerContext& context);

}  // namespace evsim::producers
