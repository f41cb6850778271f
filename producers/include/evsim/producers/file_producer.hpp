// FILE (pull): the feed's latest event of each name written as FILE records
// (`event="temperature_file";data=NN`, see docs/file-format.md) to a file that dashboards poll.
// Atomic by default: a sibling temporary file renamed over the target, so a reader never sees a torn
// or empty value. `atomic: false` rewrites the file in place (truncate, then write), which is what
// the sample does and exists to test readers against torn reads.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>

#include "evsim/producers/producer.hpp"

namespace evsim::producers {

// Throws payload::SpecError for a bad cadence or payload, std::invalid_argument for an event name
// the FILE format cannot carry.
std::shared_ptr<Producer> make_file_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                             const ProducerContext& context);

// The file a FILE producer writes: its `file.path`, or the sample's data.tmp in the temp directory.
std::filesystem::path file_producer_path(const scenario::ProducerSpec& spec);

// Writes `content` over `path` in place: truncate, then write (throws std::system_error).
void rewrite_file_in_place(const std::filesystem::path& path, std::string_view content);

}  // namespace evsim::producers
