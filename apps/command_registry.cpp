#include "command.hpp"

namespace evsim::app {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"serve", "run mock event servers (no arguments: the four reference emitters)", &run_serve},
        {"listen", "connect to an SSE endpoint and print every observation as a JSON line", &run_listen},
    };
    return all;
}

}  // namespace evsim::app
