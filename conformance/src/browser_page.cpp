#include "browser_page.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <strings.h>

#include "evsim/core/ws_handshake.hpp"

namespace evsim::conformance {

namespace {

// The config as a JSON literal inside a <script>: every '<' (only ever inside a JSON string) is
// written \u003c, so no value can end the script element or open a comment in the HTML parser's eyes.
std::string script_json(const PageConfig& config) {
    boost::json::object o;
    o["stream"] = config.stream_path;
    boost::json::array listen;
    for (const auto& type : config.listen) listen.emplace_back(type);
    o["listen"] = std::move(listen);
    o["eventSources"] = config.page.event_sources;
    o["websockets"] = config.page.websockets;
    o["websocketPath"] = std::string(kWebSocketPath);
    o["sink"] = config.sink_url;
    std::string json = boost::json::serialize(o);
    for (std::size_t at = 0; (at = json.find('<', at)) != std::string::npos; at += 6) json.replace(at, 1, "\\u003c");
    return json;
}

// Observations are queued and posted in batches, one POST at a time, so they arrive in order; each
// carries performance.now() so rates are measured when events were dispatched. Several
// EventSources get distinct URLs (?source=N) so that no cache lock makes one wait for another.
constexpr const char* kScript = R"JS(
const queue = [];
let posting = false;
function post() {
  if (posting || queue.length === 0) return;
  posting = true;
  // At most 256 KiB a batch (one line alone when longer), well within what the sink takes.
  let body = '';
  let n = 0;
  while (n < queue.length && (n === 0 || body.length + queue[n].length < 262144)) body += queue[n++] + '\n';
  queue.splice(0, n);
  fetch(config.sink, {method: 'POST', mode: 'no-cors', body})
    .catch(() => {})
    .finally(() => { posting = false; post(); });
}
function observe(o) { o.time = performance.now(); queue.push(JSON.stringify(o)); post(); }
for (let i = 1; i <= config.eventSources; ++i) {
  const url = config.eventSources === 1 ? config.stream : config.stream + '?source=' + i;
  const source = new EventSource(url);
  source.onopen = () => observe({kind: 'open', source: i});
  source.onerror = () => observe({kind: 'error', readyState: source.readyState, source: i});
  for (const type of config.listen) {
    source.addEventListener(type, (e) =>
      observe({kind: 'message', type: e.type, data: e.data, lastEventId: e.lastEventId, source: i}));
  }
}
for (let i = 1; i <= config.websockets; ++i) {
  const socket = new WebSocket('ws://' + location.host + config.websocketPath + '?socket=' + i);
  socket.onopen = () => observe({kind: 'open', channel: 'websocket'});
}
)JS";

}  // namespace

std::string browser_page_html(const PageConfig& config) {
    return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\">"
           "<title>evsim check client</title></head><body>\n<script>\nconst config = " +
           script_json(config) + ";\n" + kScript + "</script>\n</body></html>\n";
}

HarnessHandler case_page_harness(std::string page_html) {
    return [page = std::move(page_html)](const HarnessRequest& request) {
        const std::string_view target = request.target;
        const std::string_view path = target.substr(0, target.find('?'));
        if (path == kPagePath) {
            return ScriptedResponse{make_head(200, {{"Content-Type", "text/html; charset=utf-8"},
                                                    {"Cache-Control", "no-store"},
                                                    {"Content-Length", std::to_string(page.size())}}),
                                    {{std::chrono::milliseconds(0), page}},
                                    Ending::close};
        }
        if (path == kWebSocketPath) {
            for (const auto& [name, value] : request.headers) {
                if (name.size() != 17 || strncasecmp(name.c_str(), "Sec-WebSocket-Key", 17) != 0) continue;
                return ScriptedResponse{"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                        "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                                            ws::accept_key(value) + "\r\n\r\n",
                                        {},
                                        Ending::hang};
            }
            return ScriptedResponse{make_head(400, {{"Content-Length", "0"}}), {}, Ending::close};
        }
        return ScriptedResponse{make_head(404, {{"Content-Length", "0"}}), {}, Ending::close};
    };
}

}  // namespace evsim::conformance
