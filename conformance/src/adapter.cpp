#include "evsim/conformance/adapter.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace evsim::conformance {

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
}

}  // namespace

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

std::optional<Observation> parse_observation(const std::string& line, std::string& why) {
    boost::system::error_code error;
    const auto value = boost::json::parse(line, error);
    if (error || !value.is_object()) {
        why = "not a JSON object";
        return std::nullopt;
    }
    const auto& o = value.get_object();
    const auto* kind = o.if_contains("kind");
    if (!kind || !kind->is_string()) {
        why = "no \"kind\"";
        return std::nullopt;
    }
    const auto text = [&](const char* key, std::string& out) {
        const auto* v = o.if_contains(key);
        if (!v || !v->is_string()) return false;
        out = std::string(v->get_string());
        return true;
    };
    Observation observation;
    observation.at = std::chrono::steady_clock::now();
    if (const auto* time = o.if_contains("time")) {
        if (!time->is_number()) {
            why = "\"time\" must be a number (milliseconds)";
            return std::nullopt;
        }
        observation.client_time_ms = time->to_number<double>();
    }
    if (const auto* source = o.if_contains("source")) {
        if (!source->is_int64() || source->get_int64() < 0 || source->get_int64() > 1000) {
            why = "\"source\" must be a whole number from 0 to 1000";
            return std::nullopt;
        }
        observation.source = static_cast<int>(source->get_int64());
    }
    if (const auto* channel = o.if_contains("channel")) {
        if (!channel->is_string() || (channel->get_string() != "eventsource" && channel->get_string() != "websocket")) {
            why = "\"channel\" must be \"eventsource\" or \"websocket\"";
            return std::nullopt;
        }
        if (channel->get_string() == "websocket") observation.channel = Observation::Channel::websocket;
    }
    const std::string_view k = kind->get_string();
    if (k == "open") {
        observation.kind = Observation::Kind::open;
    } else if (k == "message") {
        observation.kind = Observation::Kind::message;
        if (!text("type", observation.type) || !text("data", observation.data) ||
            !text("lastEventId", observation.last_event_id)) {
            why = "a message needs \"type\", \"data\" and \"lastEventId\" strings";
            return std::nullopt;
        }
    } else if (k == "error") {
        observation.kind = Observation::Kind::error;
        const auto* state = o.if_contains("readyState");
        if (!state || !state->is_int64() || (state->get_int64() != 0 && state->get_int64() != 2)) {
            why = "an error needs \"readyState\" 0 or 2";
            return std::nullopt;
        }
        observation.ready_state = static_cast<int>(state->get_int64());
    } else {
        why = "unknown kind";
        return std::nullopt;
    }
    return observation;
}

std::string expand_adapter_command(const std::string& command, const std::string& url,
                                   const std::vector<std::string>& events) {
    std::string expanded = command;
    replace_all(expanded, "{url}", shell_quote(url));
    replace_all(expanded, "{events}", shell_quote(joined(events)));
    return expanded;
}

AdapterRun::AdapterRun(const std::string& command, const std::string& url, const std::vector<std::string>& events) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    // Everything the child needs is built before spawning: posix_spawn is safe in a threaded program.
    const std::string script = expand_adapter_command(command, url, events);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
        if (std::strncmp(*e, "EVSIM_URL=", 10) != 0 && std::strncmp(*e, "EVSIM_EVENTS=", 13) != 0) env_strings.emplace_back(*e);
    }
    env_strings.push_back("EVSIM_URL=" + url);
    env_strings.push_back("EVSIM_EVENTS=" + joined(events));
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string sh = "/bin/sh", dash_c = "-c", script_copy = script;
    char* argv[] = {sh.data(), dash_c.data(), script_copy.data(), nullptr};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);  // its own group: stop() ends everything it starts
    const int spawned = ::posix_spawn(&pid_, "/bin/sh", &actions, &attributes, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
    if (spawned != 0) {
        pid_ = -1;
        ::close(out_fd_);
        ::close(err_fd_);
        out_fd_ = err_fd_ = -1;
        throw std::runtime_error(std::string("cannot start the adapter: ") + std::strerror(spawned));
    }
}

AdapterRun::~AdapterRun() {
    if (pid_ > 0) {
        ::kill(-pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
}

void AdapterRun::take_lines() {
    std::size_t start = 0;
    for (auto end = pending_.find('\n'); end != std::string::npos; end = pending_.find('\n', start)) {
        std::string line = pending_.substr(start, end - start);
        start = end + 1;
        if (overlong_) {
            overlong_ = false;  // the rest of a line already reported
            continue;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::string why;
        if (auto observation = parse_observation(line, why)) {
            if (observations_.size() < kMaxObservations) observations_.push_back(std::move(*observation));
        } else if (problems_.size() < 100) {
            problems_.push_back(why + ": " + line.substr(0, 200));
        }
    }
    pending_.erase(0, start);
    if (pending_.size() > kMaxLine) {
        if (!overlong_ && problems_.size() < 100) problems_.push_back("a line longer than 1 MiB");
        overlong_ = true;
        pending_.clear();
    }
}

bool AdapterRun::read_until(Clock::time_point until) {
    char buffer[65536];
    while (out_fd_ >= 0 || err_fd_ >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (left <= 0) return true;
        pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno != EINTR) break;
        for (auto& p : fds) {
            if (p.fd < 0 || (p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
            if (n <= 0) {
                ::close(p.fd);
                (p.fd == out_fd_ ? out_fd_ : err_fd_) = -1;
                continue;
            }
            if (p.fd == out_fd_) {
                pending_.append(buffer, static_cast<std::size_t>(n));
                take_lines();
            } else {
                stderr_.append(buffer, static_cast<std::size_t>(n));
                if (stderr_.size() > 4096) stderr_.erase(0, stderr_.size() - 4096);
            }
        }
    }
    reap(false);  // its output ended; it may still be exiting (stop() makes sure)
    return false;
}

void AdapterRun::reap(bool wait) {
    if (pid_ <= 0) return;
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, wait ? 0 : WNOHANG);
    if (done != pid_) return;
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void AdapterRun::stop() {
    if (pid_ > 0) ::kill(-pid_, SIGTERM);
    read_until(Clock::now() + std::chrono::seconds(1));
    if (pid_ > 0) {
        ::kill(-pid_, SIGKILL);
        read_until(Clock::now() + std::chrono::seconds(1));
    }
    reap(true);
}

}  // namespace evsim::conformance
