// `evsim check client`: each case played by a ScriptedServer to the client under test, through its
// adapter, and judged from the adapter's observations and what the server saw on the wire.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "evsim/conformance/check_result.hpp"
#include "evsim/conformance/client_case.hpp"

namespace evsim::conformance {

struct ClientRunOptions {
    std::string adapter;  // the command, with {url} and {events}
    // A Chromium binary instead of an adapter: the browser loads a page from the case server that
    // runs the case in real EventSources. Cases with a browser page run only this way.
    std::string browser;
    // How long a browser may take to start and load the page; the case's own clock starts then.
    std::chrono::milliseconds browser_start{20000};
    // Set from another thread (a signal handler's) to end the running case at once; its result is
    // then INFO, "interrupted".
    const std::atomic<bool>* cancelled = nullptr;
    // Once every expectation that counts things is met, observations are still read this long, so
    // that an extra message or request shows.
    std::chrono::milliseconds settle{300};
};

// The case's verdict: its id, title, clause and level; expected and observed side by side.
CheckResult run_client_case(const ClientCase& c, const ClientRunOptions& options);

// The events a throughput case's server sends: "id: i" and "data: i" for i = 1..N, in pieces
// spaced to give the rate.
std::vector<BodyPiece> throughput_body(const Throughput& throughput);

}  // namespace evsim::conformance
