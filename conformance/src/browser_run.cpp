#include "browser_run.hpp"

#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace evsim::conformance {

ObservationSink::ObservationSink() {
    server_ = std::make_unique<ScriptedServerThread>(std::vector<ScriptedResponse>{}, [this](const HarnessRequest& r) {
        if (r.method != "POST") return ScriptedResponse{make_head(405, {{"Content-Length", "0"}}), {}, Ending::close};
        if (r.too_large) {
            refused_batch();
            return ScriptedResponse{make_head(413, {{"Content-Length", "0"}}), {}, Ending::close};
        }
        receive(r.body);
        return ScriptedResponse{make_head(204, {}), {}, Ending::close};
    });
}

std::string ObservationSink::url() const {
    std::string path(kHarnessPrefix);
    path += "observe";
    return server_->server().url(path);
}

void ObservationSink::receive(const std::string& body) {
    std::lock_guard lock(mutex_);
    std::size_t start = 0;
    while (start < body.size()) {
        auto end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        const std::string line = body.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        std::string why;
        if (auto observation = parse_observation(line, why)) {
            if (total_ < AdapterRun::kMaxObservations) {
                arrived_.push_back(std::move(*observation));
                ++total_;
            }
        } else if (problems_.size() < 100) {
            problems_.push_back(why + ": " + line.substr(0, 200));
        }
    }
}

void ObservationSink::refused_batch() {
    std::lock_guard lock(mutex_);
    if (problems_.size() < 100) problems_.push_back("a batch of observations over 1 MiB was refused: its observations are lost");
}

void ObservationSink::take(std::vector<Observation>& observations, std::vector<std::string>& problems) {
    std::lock_guard lock(mutex_);
    for (auto& o : arrived_) observations.push_back(std::move(o));
    arrived_.clear();
    for (auto& p : problems_) problems.push_back(std::move(p));
    problems_.clear();
}

std::string browser_command(const std::string& browser, const std::filesystem::path& profile) {
    // Headless, with a profile of its own and nothing in the background that would add requests
    // or connections of its own. As root (CI containers) Chromium only starts without its sandbox.
    std::string command = "exec " + shell_quote(browser) +
                          " --headless=new --disable-gpu --no-first-run --no-default-browser-check"
                          " --disable-background-networking --disable-component-update --disable-extensions"
                          " --disable-sync --disable-default-apps --mute-audio --no-proxy-server"
                          // No crash handler: it would leave the process group, so stopping the
                          // group would not end it.
                          " --disable-crash-reporter --disable-breakpad"
                          " --user-data-dir=" + shell_quote(profile.string());
    if (::geteuid() == 0) command += " --no-sandbox";
    return command + " {url} >/dev/null";
}

namespace {

std::filesystem::path make_profile_directory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "evsim-browser-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a browser profile directory");
    return pattern;
}

}  // namespace

BrowserRun::BrowserRun(const std::string& browser, const std::string& page_url, ObservationSink& sink)
    : sink_(sink), profile_(make_profile_directory()) {
    if (::access(browser.c_str(), X_OK) != 0) {
        std::filesystem::remove_all(profile_);
        throw std::runtime_error("--browser: " + browser + " is not an executable file");
    }
    try {
        process_ = std::make_unique<AdapterRun>(browser_command(browser, profile_), page_url, std::vector<std::string>{});
    } catch (...) {
        std::filesystem::remove_all(profile_);
        throw;
    }
}

BrowserRun::~BrowserRun() {
    process_->stop();
    std::error_code ignored;
    std::filesystem::remove_all(profile_, ignored);
}

bool BrowserRun::read_until(Clock::time_point until) {
    bool running = true;
    do {
        // Drains the browser's stderr (kept for a failure report) and notices its exit.
        running = process_->read_until(std::min(until, Clock::now() + std::chrono::milliseconds(20)));
        sink_.take(observations_, problems_);
    } while (running && Clock::now() < until);
    return running;
}

void BrowserRun::stop() {
    process_->stop();
    sink_.take(observations_, problems_);
}

}  // namespace evsim::conformance
