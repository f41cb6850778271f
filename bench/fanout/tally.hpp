// What every connection of one fan-out run reports to the run: how far it got and what went wrong.
// Counted, not logged per connection, so a run of 10,000 failing connections prints one line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/system/error_code.hpp>

namespace evsim::bench::fanout {

enum class Stage {
    connect,    // TCP connect (refused, timed out, out of file descriptors)
    handshake,  // the HTTP response header or the WebSocket upgrade
    stream,     // an established stream ended or broke before the run stopped it
};

struct Tally {
    std::size_t started = 0;      // connection attempts begun
    std::size_t established = 0;  // streams that got their 200 / completed the upgrade
    std::size_t concluded = 0;    // attempts that are established or failed: the ramp is over at `started`
    std::uint64_t connect_errors = 0;
    std::uint64_t handshake_errors = 0;
    std::uint64_t stream_errors = 0;
    std::string first_error;  // the first failure in words, for the report

    void fail(Stage stage, std::string_view what);
    std::uint64_t errors() const noexcept { return connect_errors + handshake_errors + stream_errors; }
};

// "connect: Connection refused" and the like.
std::string describe(std::string_view step, const boost::system::error_code& error);

}  // namespace evsim::bench::fanout
