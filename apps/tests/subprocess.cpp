#include "subprocess.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace evsim::app::testing {

Subprocess::Subprocess(const std::vector<std::string>& argv) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
}

Subprocess::~Subprocess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
}

bool Subprocess::pump(std::chrono::milliseconds budget) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    const int nfds = (out_fd_ >= 0 ? 1 : 0) + (err_fd_ >= 0 ? 1 : 0);
    if (nfds == 0) return false;
    if (::poll(fds, 2, static_cast<int>(budget.count())) <= 0) return true;
    char buf[4096];
    for (auto& p : fds) {
        if (p.fd < 0 || (p.revents & (POLLIN | POLLHUP)) == 0) continue;
        const ssize_t n = ::read(p.fd, buf, sizeof buf);
        std::string& sink = p.fd == out_fd_ ? result_.out : result_.err;
        if (n > 0) {
            sink.append(buf, static_cast<std::size_t>(n));
        } else {
            ::close(p.fd);
            (p.fd == out_fd_ ? out_fd_ : err_fd_) = -1;
        }
    }
    return out_fd_ >= 0 || err_fd_ >= 0;
}

bool Subprocess::wait_for_output(const std::string& text, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (result_.out.find(text) == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !pump(left)) return result_.out.find(text) != std::string::npos;
    }
    return true;
}

void Subprocess::send_signal(int signal_number) { ::kill(pid_, signal_number); }

ProcessResult Subprocess::finish(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result_.timed_out = true;
            ::kill(pid_, SIGKILL);
            break;
        }
        if (!pump(left)) break;
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result_;
}

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds limit) {
    Subprocess process(argv);
    return process.finish(limit);
}

}  // namespace evsim::app::testing
