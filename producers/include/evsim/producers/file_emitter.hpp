// FILE (pull): `event="temperature_file";data=NN` written to a file every interval, like file.py,
// but replaced atomically so a polling reader never sees a torn or shrinking value.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "evsim/producers/emitter_context.hpp"
#include "evsim/producers/periodic_timer.hpp"

namespace evsim::producers {

struct FileOptions {
    bool enabled = true;
    std::filesystem::path path;             // empty: default_file_path()
    std::string event = "temperature_file"; // the record's event name
};

class FileEmitter {
public:
    FileEmitter(boost::asio::io_context& io, const FileOptions& options, const EmitterContext& context);
    ~FileEmitter();
    FileEmitter(const FileEmitter&) = delete;
    FileEmitter& operator=(const FileEmitter&) = delete;

    // Writes the first value now, so a bad path is reported at once (throws std::system_error),
    // then one every interval. Later write errors are logged, and writing goes on.
    void start();
    // Stops writing; the file keeps its last value, as the sample leaves it.
    void stop();

    const std::filesystem::path& path() const noexcept;

    struct State;

private:
    std::shared_ptr<State> state_;
    std::shared_ptr<PeriodicTimer> timer_;
};

}  // namespace evsim::producers
