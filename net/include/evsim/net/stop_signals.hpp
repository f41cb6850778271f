// Clean shutdown for long-running commands: SIGINT and SIGTERM run a callback on the io_context
// instead of killing the process, so results are flushed and sockets closed.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>

namespace evsim::net {

class StopSignals {
public:
    StopSignals(boost::asio::io_context& io, std::function<void(int signal_number)> on_stop);
    // Stops listening (for example when the command finished on its own).
    void cancel();

private:
    boost::asio::signal_set signals_;
    std::function<void(int)> on_stop_;
};

}  // namespace evsim::net
