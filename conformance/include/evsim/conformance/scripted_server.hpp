// A server that plays a script per connection attempt: a raw response head, body pieces (each after
// a chosen delay, so a test decides exactly where writes split), then close, reset or hang. It records
// every request it reads with its headers and arrival time, so reconnection behaviour (delays,
// Last-Event-ID) can be checked from the wire. Used by client tests and by `evsim check client`.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace evsim::conformance {

struct BodyPiece {
    // Waited before this piece is written, counted from when the previous piece was due (so a long
    // series of pieces keeps its rate even if each timer fires a little late).
    std::chrono::milliseconds delay{0};
    std::string bytes;
};

enum class Ending {
    close,  // orderly close after the last piece
    reset,  // abortive close (RST)
    hang,   // keep the connection open until the server stops
};

struct ScriptedResponse {
    std::string head;  // status line and headers, sent verbatim (so malformed heads can be scripted)
    std::vector<BodyPiece> body;
    Ending ending = Ending::close;
};

// A well-formed head: "HTTP/1.1 <status> <reason>" plus the headers given, and "Connection: close".
std::string make_head(int status, const std::vector<std::pair<std::string, std::string>>& headers);
// The usual event-stream head: 200, Content-Type: text/event-stream, Cache-Control: no-cache.
std::string event_stream_head();

struct RecordedRequest {
    std::size_t connection = 0;  // 0 for the first connection attempt
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::steady_clock::time_point received_at;

    // The first header with this name (case-insensitive), if any.
    std::optional<std::string> header(std::string_view name) const;
};

// A request for the harness around the client rather than for the case: the page a browser runs,
// the observations it posts. Its path starts with kHarnessPrefix (or is /favicon.ico, which
// browsers ask for unbidden); it is neither recorded nor given a scripted response.
struct HarnessRequest {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // at most kMaxHarnessBody bytes
    bool too_large = false;  // the body was longer and not read (the answer should be 413)
};
using HarnessHandler = std::function<ScriptedResponse(const HarnessRequest&)>;
inline constexpr std::string_view kHarnessPrefix = "/__evsim/";
inline constexpr std::size_t kMaxHarnessBody = 1 << 20;

class ScriptedServer {
public:
    // The i-th request (counting from 0, harness requests aside) plays script[i]; later ones play
    // the last entry again. Counting requests rather than accepted connections keeps the script in
    // step with a browser that opens spare connections it may never use. Without a harness handler,
    // harness paths get 404.
    ScriptedServer(boost::asio::io_context& io, std::vector<ScriptedResponse> script,
                   HarnessHandler harness = {});
    ~ScriptedServer();
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    std::uint16_t port() const;
    std::string url(std::string_view path = "/") const;  // http://127.0.0.1:PORT/path

    // Thread-safe: a copy of what has been recorded so far.
    std::vector<RecordedRequest> requests() const;
    // Blocks until `count` requests were recorded or `timeout` passed; true when they were.
    bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;
    // The most scripted responses that were in progress at once (head sent, connection not yet
    // ended): how many streams a client held open together.
    std::size_t max_concurrent() const;
    // Blocks until exactly `count` scripted responses are in progress or `timeout` passed; true when so.
    bool wait_for_concurrent(std::size_t count, std::chrono::milliseconds timeout) const;
    // Closes the listener and every connection. Safe from any thread.
    void stop();

    struct State;

private:
    std::shared_ptr<State> state_;
};

}  // namespace evsim::conformance
