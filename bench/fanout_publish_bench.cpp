// Cost of one BroadcastChannel::publish to many subscribers: the in-process part of the producer
// fan-out benchmarks (docs/benchmarks.md, "Producers: fan-out").
//
// BM_PublishToQueues: 1,000 and 10,000 subscribers doing what SseSession::deliver does on its hot
// path (push into an OutboundQueue, move the batch into the in-flight list when no write is
// pending), without sockets. The write "completes" between publishes with the timer paused.
//
// BM_PublishToSseSessions: real SseSessions on connected loopback TCP pairs, so the figure includes
// async_write's initiation (Asio tries the send at once: the syscall is in it) and the completion
// handler, run by io_context::poll() inside the timed region. 5,000 pairs use 10,000 file
// descriptors; 10,000 would not fit under this machine's 20,000 limit with the client ends.
//
// Both report per_subscriber: time per publish divided by the subscriber count ("15.2n" is 15.2 ns).
#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "evsim/producers/broadcast_channel.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/outbound_queue.hpp"
#include "evsim/producers/sse_session.hpp"
#include "evsim/producers/stats.hpp"

namespace {

namespace asio = boost::asio;
namespace producers = evsim::producers;
using tcp = asio::ip::tcp;

// What the reference SSE emitter publishes each tick: a fresh shared string, encoded once.
producers::Message make_event(int i) {
    return std::make_shared<const std::string>("event: temperature_sse\ndata: " + std::to_string(10 + i % 89) +
                                               "\n\n");
}

void report_per_subscriber(benchmark::State& state, std::size_t subscribers) {
    // "Subscribers per second", inverted: seconds per subscriber, printed with an SI prefix (15.2n).
    state.counters["per_subscriber"] = benchmark::Counter(
        static_cast<double>(subscribers), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// SseSession::deliver without the socket: the same queue operations on the same types.
class QueueSubscriber final : public producers::Subscriber {
public:
    void deliver(const producers::Message& message) override {
        queue_.push(message);
        if (in_flight_.empty()) queue_.take(in_flight_, producers::SseSession::max_batch);
    }
    void complete_write() { in_flight_.clear(); }

private:
    producers::OutboundQueue queue_;
    std::vector<producers::Message> in_flight_;
};

void BM_PublishToQueues(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    producers::BroadcastChannel channel;
    std::vector<std::shared_ptr<QueueSubscriber>> subscribers;
    for (std::size_t i = 0; i < count; ++i) {
        subscribers.push_back(std::make_shared<QueueSubscriber>());
        channel.subscribe(subscribers.back());
    }
    int tick = 0;
    for (auto _ : state) {
        channel.publish(make_event(tick++));
        state.PauseTiming();
        for (const auto& s : subscribers) s->complete_write();
        state.ResumeTiming();
    }
    report_per_subscriber(state, count);
}
BENCHMARK(BM_PublishToQueues)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

// Connected loopback pairs: the server ends become SseSessions, the client ends are drained.
struct SessionFarm {
    explicit SessionFarm(std::size_t count) : connections(producers::ConnectionSet::create(io)) {
        tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        // The session writes whatever header the producer built; its bytes do not matter here.
        const auto header =
            std::make_shared<const std::string>("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n");
        for (std::size_t i = 0; i < count; ++i) {
            clients.emplace_back(io);
            clients.back().connect(acceptor.local_endpoint());
            clients.back().non_blocking(true);
            auto session = std::make_shared<producers::SseSession>(
                evsim::net::MaybeTlsStream(boost::beast::tcp_stream(acceptor.accept())), header,
                                                                   evsim::scenario::QueueSettings{}, stats);
            session->start(*connections);
            channel.subscribe(session);
            sessions.push_back(std::move(session));
        }
        io.poll();
    }
    ~SessionFarm() {
        for (const auto& s : sessions) s->abort();
        io.poll();
    }
    SessionFarm(const SessionFarm&) = delete;
    SessionFarm& operator=(const SessionFarm&) = delete;

    // Reads what the sessions sent so the kernel's socket buffers never fill up.
    void drain() {
        for (auto& client : clients) {
            boost::system::error_code error;
            while (client.read_some(asio::buffer(sink), error) > 0 && !error) {
            }
        }
    }

    asio::io_context io{1};
    std::shared_ptr<producers::ConnectionSet> connections;
    std::shared_ptr<producers::EmitterStats> stats = std::make_shared<producers::EmitterStats>();
    producers::BroadcastChannel channel;
    std::vector<tcp::socket> clients;
    std::vector<std::shared_ptr<producers::SseSession>> sessions;
    std::array<char, 65536> sink{};
};

void BM_PublishToSseSessions(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 2 * count + 64) {
        limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 2 * count + 64);
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (limit.rlim_cur < 2 * count + 64) {
        state.SkipWithError("not enough file descriptors: raise the limit (ulimit -n)");
        return;
    }
    SessionFarm farm(count);
    int tick = 0;
    for (auto _ : state) {
        farm.channel.publish(make_event(tick));
        farm.io.poll();  // the write completions: part of what a publish costs the event loop
        // Every 16 publishes: a few hundred bytes per socket. Letting the receive queues grow
        // long makes the kernel's side of each send slower and would be measured as evsim's.
        if (++tick % 16 == 0) {
            state.PauseTiming();
            farm.drain();
            state.ResumeTiming();
        }
    }
    report_per_subscriber(state, count);
    if (farm.stats->events_dropped.load() != 0) state.SkipWithError("sessions dropped events: drain more often");
}
// CPU time (the default): the send syscalls, including the loopback delivery the kernel does inside
// them, are this thread's CPU time, and on a shared machine wall time would count other work too.
BENCHMARK(BM_PublishToSseSessions)->Arg(1000)->Arg(5000)->Unit(benchmark::kMicrosecond);

}  // namespace
