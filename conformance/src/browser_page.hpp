// The page a browser runs for a client case (`evsim check client --browser`): it opens the case's
// EventSources (and, for the companion case, WebSockets) on the case server's own origin, listens
// for the case's event types and posts each observation, in adapter form (docs/adapters.md), to the
// observation sink: a server on another port, so the posts never compete with the streams for the
// browser's six connections to the case host.
#pragma once

#include <string>
#include <vector>

#include "evsim/conformance/client_case.hpp"
#include "evsim/conformance/scripted_server.hpp"

namespace evsim::conformance {

struct PageConfig {
    std::string stream_path;          // "/parse.bom-at-start", on the page's own origin
    std::vector<std::string> listen;  // event types to add listeners for
    BrowserPage page;
    std::string sink_url;  // where observations are POSTed
};

inline constexpr std::string_view kPagePath = "/__evsim/page";
inline constexpr std::string_view kWebSocketPath = "/__evsim/ws";

std::string browser_page_html(const PageConfig& config);

// The case server's harness routes: the page at kPagePath; at kWebSocketPath a WebSocket handshake
// that is accepted and then held open (no frames); 404 for anything else (favicon.ico).
HarnessHandler case_page_harness(std::string page_html);

}  // namespace evsim::conformance
