#include "command.hpp"

namespace evsim::app {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"serve", "run mock event servers (no arguments: the four reference emitters)", &run_serve},
        {"publish", "send an event through a running 'evsim serve --control', or print its stats", &run_publish},
        {"listen", "connect to an SSE endpoint and print every observation as a JSON line", &run_listen},
    };
    return all;
}

}  // namespace evsim::app
