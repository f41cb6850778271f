#include "evsim/net/stop_signals.hpp"

#include <csignal>

namespace evsim::net {

StopSignals::StopSignals(boost::asio::io_context& io, std::function<void(int)> on_stop)
    : signals_(io, SIGINT, SIGTERM), on_stop_(std::move(on_stop)) {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
        if (!ec) on_stop_(signal_number);
    });
}

void StopSignals::cancel() {
    boost::system::error_code ignored;
    signals_.cancel(ignored);
}

}  // namespace evsim::net
