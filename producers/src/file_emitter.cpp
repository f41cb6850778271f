#include "evsim/producers/file_emitter.hpp"

#include <exception>
#include <string>
#include <utility>

#include "evsim/core/file_format.hpp"
#include "evsim/producers/atomic_file.hpp"
#include "evsim/producers/value_source.hpp"

namespace evsim::producers {

struct FileEmitter::State {
    State(const FileOptions& options, const EmitterContext& context)
        : path(options.path.empty() ? default_file_path() : options.path),
          event(options.event),
          values(context.seed),
          log(context.log) {}

    // Throws std::system_error (file) or std::invalid_argument (an event name the format rejects).
    void write() {
        replace_file_atomically(path, file_format::write(file_format::Record{event, std::to_string(values.next())}));
    }

    void tick() {
        try {
            write();
            if (failing) log("file " + path.string() + ": writing again");
            failing = false;
        } catch (const std::exception& e) {
            // Once per failure streak: a full disk must not flood stderr every interval.
            if (!failing) log("file " + path.string() + ": " + e.what() + " (will keep trying)");
            failing = true;
        }
    }

    std::filesystem::path path;
    std::string event;
    ValueSource values;
    LogFunction log;
    bool failing = false;
};

FileEmitter::FileEmitter(boost::asio::io_context& io, const FileOptions& options, const EmitterContext& context)
    : state_(std::make_shared<State>(options, context)),
      timer_(PeriodicTimer::create(io, context.interval, [state = state_] { state->tick(); })) {}

FileEmitter::~FileEmitter() { stop(); }

void FileEmitter::start() {
    // The sample writes before it first sleeps; writing here also reports a bad path at start-up.
    state_->write();
    timer_->start();
}

void FileEmitter::stop() { timer_->stop(); }

const std::filesystem::path& FileEmitter::path() const noexcept { return state_->path; }

}  // namespace evsim::producers
