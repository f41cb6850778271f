// `evsim check server URL`: a live endpoint checked against what clients need of it. For SSE
// (docs/conformance.md lists each check with its clause):
//
//   sse.status        the answer is 200 (EventSource fails the connection otherwise)        MUST
//   sse.content-type  text/event-stream, parameters allowed                                  MUST
//   sse.utf8          the stream is UTF-8                                                    MUST
//   sse.parse         the stream parses (no line or event beyond the parser's limits)        MUST
//   sse.events        events arrived within the observation time                             INFO
//   sse.cache         Cache-Control: no-cache or no-store (proxies must not cache a stream)  SHOULD
//   sse.flush         the response head comes before the first event, not with it            SHOULD
//   sse.retry         a retry field, if any, is between 100 ms and 1 h                        SHOULD
//   sse.keepalive     nothing silent for more than 15 s (or --keepalive; proxies drop idle   SHOULD
//                     connections)
//   sse.cors          Access-Control-Allow-Origin answers a cross-origin request            INFO
//   sse.credentials   a withCredentials EventSource may read it (origin by name, never *)   INFO
//   sse.preflight     OPTIONS for Authorization and Last-Event-ID is answered               INFO
//   sse.resume        a reconnection with Last-Event-ID goes on after that event            INFO
//
// For fetch: fetch.status (2xx, MUST), fetch.content-type (SHOULD), fetch.body (INFO), fetch.cache
// (no-cache, no-store or max-age=0, SHOULD), fetch.cors (the --origin may read it, MUST),
// fetch.credentials (a credentialed fetch may read it, INFO).
//
// For WebSocket: ws.handshake (101 with a valid accept key, MUST), ws.pong (a ping is answered,
// MUST), ws.utf8 (text frames are UTF-8, MUST), ws.framing (frames follow RFC 6455 section 5,
// MUST), ws.messages (INFO), ws.close (a close frame is answered, MUST), ws.connection (INFO, when
// it ended early).
//
// For a FILE source: file.readable (MUST), file.format (the records parse, MUST), file.atomic
// (every read while the writer runs sees whole records, MUST), file.updates (INFO).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "evsim/conformance/check_result.hpp"
#include "evsim/net/tls.hpp"

namespace evsim::conformance {

struct ServerCheckOptions {
    std::chrono::milliseconds observe{3000};   // how long to read the stream
    std::chrono::milliseconds timeout{10000};  // connect, TLS and the response head
    // sse.keepalive: the longest silence allowed. The standard suggests a comment every 15 s; a
    // team behind a proxy that drops idle connections sooner sets its own limit.
    std::chrono::milliseconds keepalive{15000};
    std::string origin = "http://localhost";   // sent as Origin, for the CORS check
    std::vector<std::pair<std::string, std::string>> headers;  // sent too (say, Authorization)
    net::ClientTlsOptions tls;
};

// Checks the SSE endpoint at `url`. Throws net::UrlError for an unusable URL and
// net::HttpExchangeError when the server cannot be reached or sends no response head.
std::vector<CheckResult> check_sse_server(const std::string& url, const ServerCheckOptions& options);
// Checks the WebSocket endpoint at `url` (ws:// or wss://). Throws as check_sse_server.
std::vector<CheckResult> check_ws_server(const std::string& url, const ServerCheckOptions& options);
// Reads the FILE source at `path` over and over for options.observe.
std::vector<CheckResult> check_file_source(const std::string& path, const ServerCheckOptions& options);
// Checks the polled (fetch) endpoint at `url` with one GET. Throws as check_sse_server.
std::vector<CheckResult> check_fetch_server(const std::string& url, const ServerCheckOptions& options);

}  // namespace evsim::conformance
