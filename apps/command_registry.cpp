#include "command.hpp"

namespace evsim::app {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"run", "the main job: a scenario's producers and load in one process (no scenario: the quickstart)", &run_run},
        {"load", "play a scenario's load section against running producers: virtual users, latency, loss", &run_load},
        {"report", "merge the results of a sharded run (histograms add), or render a results file again", &run_report},
        {"serve", "run mock event servers (no arguments: the four reference emitters)", &run_serve},
        {"publish", "send an event through a running 'evsim serve --control', or print its stats", &run_publish},
        {"listen", "connect to an SSE endpoint and print every observation as a JSON line", &run_listen},
        {"check", "check a server (evsim check server URL) or an EventSource client (evsim check client --adapter CMD | --browser PATH) against the spec; compare clients (evsim check matrix)", &run_check},
        {"lint", "check a dashboard's config.js registry for what will go wrong in a browser", &run_lint},
    };
    return all;
}

}  // namespace evsim::app
