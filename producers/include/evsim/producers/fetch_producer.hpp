// FETCH (pull): answers polling requests with the producer's data. Modes from the scenario's
// `fetch` block: the latest event (the default), a JSON array of the events since the previous
// request, or a fresh value per request (fetch.py's behaviour, what the reference emitter uses).
// Also: the methods it accepts, ETag / If-None-Match (304 while nothing changed), the status it
// answers with and a latency added before every answer.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "evsim/producers/producer.hpp"

namespace evsim::producers {

// Throws payload::SpecError for a bad cadence or payload.
std::shared_ptr<HttpProducer> make_fetch_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                                  const ProducerContext& context);

}  // namespace evsim::producers
