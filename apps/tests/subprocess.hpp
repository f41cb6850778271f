// Test support: runs a program with arguments, captures stdout and stderr, bounds its run time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace evsim::app::testing {

struct ProcessResult {
    int exit_code = -1;     // -1 when killed by a signal
    bool timed_out = false;  // killed because it ran past the limit
    std::string out;
    std::string err;
};

class Subprocess {
public:
    explicit Subprocess(const std::vector<std::string>& argv);
    ~Subprocess();
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;

    // Reads output until stdout contains `text` or the limit passes; true when it appeared.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds limit);
    // What the process has written to stdout so far.
    const std::string& output_so_far() const { return result_.out; }
    void send_signal(int signal_number);
    // Waits for exit (killing the process after `limit`) and returns everything it wrote.
    ProcessResult finish(std::chrono::milliseconds limit);

private:
    bool pump(std::chrono::milliseconds budget);  // reads what is available; false at end of output

    int pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    ProcessResult result_;
};

// Runs to completion within `limit`.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds limit);

}  // namespace evsim::app::testing
