// A headless browser as the client under test (`evsim check client --browser PATH`): the browser
// loads the case's page from the case server and its observations arrive at an ObservationSink.
// BrowserRun offers what AdapterRun offers, so a case is watched the same way whichever runs it.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "evsim/conformance/adapter.hpp"
#include "evsim/conformance/scripted_server_thread.hpp"

namespace evsim::conformance {

// A server on a port of its own that takes the page's POSTs of observation lines.
class ObservationSink {
public:
    ObservationSink();
    std::string url() const;  // where the page posts
    // Moves what arrived since the last call into `observations` and `problems`.
    void take(std::vector<Observation>& observations, std::vector<std::string>& problems);

private:
    void receive(const std::string& body);
    void refused_batch();

    std::mutex mutex_;
    std::vector<Observation> arrived_;
    std::vector<std::string> problems_;
    std::size_t total_ = 0;
    std::unique_ptr<ScriptedServerThread> server_;  // last: stopped before the rest goes
};

class BrowserRun {
public:
    using Clock = std::chrono::steady_clock;

    // Starts `browser` (a Chromium binary) headless on `page_url` with a fresh profile directory.
    // Throws std::runtime_error when it cannot be started.
    BrowserRun(const std::string& browser, const std::string& page_url, ObservationSink& sink);
    ~BrowserRun();
    BrowserRun(const BrowserRun&) = delete;
    BrowserRun& operator=(const BrowserRun&) = delete;

    // Collects observations until `until`; false once the browser has exited.
    bool read_until(Clock::time_point until);
    // Ends the browser and every process it started.
    void stop();

    const std::vector<Observation>& observations() const noexcept { return observations_; }
    const std::vector<std::string>& problems() const noexcept { return problems_; }
    const std::string& stderr_tail() const noexcept { return process_->stderr_tail(); }
    std::optional<int> exit_code() const noexcept { return process_->exit_code(); }

private:
    ObservationSink& sink_;
    std::filesystem::path profile_;
    std::unique_ptr<AdapterRun> process_;
    std::vector<Observation> observations_;
    std::vector<std::string> problems_;
};

// The shell command that runs `browser` headless on {url} with `profile` as its user data directory.
std::string browser_command(const std::string& browser, const std::filesystem::path& profile);

}  // namespace evsim::conformance
