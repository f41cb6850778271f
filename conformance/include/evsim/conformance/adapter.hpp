// The client under test, run through its adapter (docs/adapters.md): any program that opens a URL
// with the client and prints one JSON line per observation:
//   {"kind":"open"}
//   {"kind":"message","type":"message","data":"a","lastEventId":""}
//   {"kind":"error","readyState":0}
// Optional on every line: "time" (milliseconds on the client's own monotonic clock) for adapters
// that report in batches, so rates are measured when things happened rather than when they were
// reported; "channel":"websocket" on an open from a WebSocket (the browser page's companion case);
// "source": N, which of a page's several EventSources it came from.
// The command is run by /bin/sh with {url} and {events} (the event types to listen for, comma-
// separated) replaced by shell-quoted values; EVSIM_URL and EVSIM_EVENTS carry the same. Its
// output is untrusted: lines are bounded, anything that is not an observation is kept as a problem.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace evsim::conformance {

struct Observation {
    enum class Kind { open, message, error };
    Kind kind = Kind::message;
    enum class Channel { eventsource, websocket };
    Channel channel = Channel::eventsource;
    std::string type;           // message: the event type it was dispatched as
    std::string data;           // message
    std::string last_event_id;  // message
    int ready_state = -1;       // error: 0 (will reconnect) or 2 (closed for good)
    std::chrono::steady_clock::time_point at;  // when the line arrived
    std::optional<double> client_time_ms;      // "time", when the adapter gave one
    int source = 0;                            // "source": which of several EventSources (a browser page's)
};

// Parses one adapter line; nullopt when it is not an observation (`why` says what is wrong).
std::optional<Observation> parse_observation(const std::string& line, std::string& why);

// `text` as one word for /bin/sh: in single quotes, each ' written as '\''.
std::string shell_quote(const std::string& text);

// {url} and {events} replaced by shell-quoted values.
std::string expand_adapter_command(const std::string& command, const std::string& url,
                                   const std::vector<std::string>& events);

class AdapterRun {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kMaxLine = 1 << 20;
    static constexpr std::size_t kMaxObservations = 1'000'000;

    // Starts the adapter in its own process group (so stop() ends whatever it started). Throws
    // std::runtime_error when it cannot be started.
    AdapterRun(const std::string& command, const std::string& url, const std::vector<std::string>& events);
    ~AdapterRun();
    AdapterRun(const AdapterRun&) = delete;
    AdapterRun& operator=(const AdapterRun&) = delete;

    // Reads what the adapter prints until `until`; false once its output has ended.
    bool read_until(Clock::time_point until);
    // SIGTERM to its process group, SIGKILL a second later if it is still there; reads what is left.
    void stop();

    const std::vector<Observation>& observations() const noexcept { return observations_; }
    const std::vector<std::string>& problems() const noexcept { return problems_; }
    // The last 4 KiB it wrote to stderr.
    const std::string& stderr_tail() const noexcept { return stderr_; }
    std::optional<int> exit_code() const noexcept { return exit_code_; }

private:
    void take_lines();
    void reap(bool wait);

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    std::string pending_;  // stdout bytes after the last complete line
    bool overlong_ = false;  // the current line went past kMaxLine
    std::string stderr_;
    std::vector<Observation> observations_;
    std::vector<std::string> problems_;
    std::optional<int> exit_code_;
};

}  // namespace evsim::conformance
