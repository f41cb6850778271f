#include "evsim/producers/log.hpp"

#include <iostream>
#include <string>

namespace evsim::producers {

LogFunction stderr_log() {
    return [](std::string_view line) {
        // One insertion per line so lines from different emitters never interleave mid-line.
        std::string text(line);
        text += '\n';
        std::cerr << text << std::flush;
    };
}

LogFunction null_log() {
    return [](std::string_view) {};
}

}  // namespace evsim::producers
