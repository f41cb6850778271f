// evsim_fanout_client: many SSE or WebSocket subscribers in one thread, for the producer fan-out
// benchmarks (bench/compare_fanout.sh). `evsim_fanout_client --help` describes it.
#include <boost/asio/io_context.hpp>
#include <exception>
#include <iostream>

#include "evsim/net/stop_signals.hpp"
#include "fanout/client_options.hpp"
#include "fanout/fanout_run.hpp"
#include "fanout/target.hpp"

int main(int argc, char** argv) {
    namespace fanout = evsim::bench::fanout;
    try {
        const auto options = fanout::parse_client_options(argc, argv);
        if (!options) return 0;
        boost::asio::io_context io(1);  // one thread: the concurrency hint lets Asio skip locking
        auto target = fanout::resolve_target(io, options->url);
        fanout::FanoutRun run(io, *options, std::move(target));
        evsim::net::StopSignals signals(io, [&run](int) { run.stop_early(); });
        run.start();
        io.run();
        return run.exit_code();
    } catch (const fanout::UsageError& e) {
        std::cerr << "evsim_fanout_client: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "evsim_fanout_client: " << e.what() << '\n';
        return 1;
    }
}
