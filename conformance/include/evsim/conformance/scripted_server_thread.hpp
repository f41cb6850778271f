// A ScriptedServer with an io_context on its own thread: what a test (or a command that only needs
// the server) wants when the code under test runs elsewhere, for example in another process.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>
#include <utility>
#include <vector>

#include "evsim/conformance/scripted_server.hpp"

namespace evsim::conformance {

class ScriptedServerThread {
public:
    explicit ScriptedServerThread(std::vector<ScriptedResponse> script, HarnessHandler harness = {})
        : work_(io_.get_executor()),
          server_(io_, std::move(script), std::move(harness)),
          thread_([this] { io_.run(); }) {}
    ~ScriptedServerThread() {
        server_.stop();
        work_.reset();
        io_.stop();
        thread_.join();
    }
    ScriptedServerThread(const ScriptedServerThread&) = delete;
    ScriptedServerThread& operator=(const ScriptedServerThread&) = delete;

    ScriptedServer& server() { return server_; }

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    ScriptedServer server_;
    std::thread thread_;
};

}  // namespace evsim::conformance
