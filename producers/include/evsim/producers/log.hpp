// Where the producers report what they refuse or cannot do (rejected requests, accept failures,
// file write errors): one complete line per call, without a trailing newline.
#pragma once

#include <functional>
#include <string_view>

namespace evsim::producers {

using LogFunction = std::function<void(std::string_view line)>;

// Writes every line to stderr, so stdout stays free for the URL banner that scripts read.
LogFunction stderr_log();

// Discards every line.
LogFunction null_log();

}  // namespace evsim::producers
