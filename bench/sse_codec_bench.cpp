// Throughput of evsim's SSE parser and encoder on realistic streams.
//
// Parser benchmarks feed a whole pre-encoded stream (about 1 MB) to a fresh Parser in fixed-size
// chunks: 1 byte (the worst case: a proxy or TLS layer that hands over bytes one at a time), 64 bytes
// (small network reads) and 16 KiB (a typical socket read). They report bytes/s and events/s.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/core/sse_encoder.hpp"
#include "evsim/core/sse_parser.hpp"
#include "sse_bench_streams.hpp"

namespace {

using evsim::bench::StreamKind;

// Events per benchmark stream: each kind comes to roughly 1 MB, big enough that per-stream setup
// (a fresh Parser, its first buffer growth) is noise, small enough to stay mostly in L2/L3.
std::size_t events_per_stream(StreamKind kind) {
    switch (kind) {
        case StreamKind::small: return 10000;
        case StreamKind::large: return 16;
        case StreamKind::multiline: return 1000;
        case StreamKind::crlf: return 10000;
    }
    return 0;
}

// Streams are built once, on first use, during a benchmark's setup: never inside the timed loop.
const std::string& stream_for(StreamKind kind) {
    static std::map<StreamKind, std::string> streams;
    auto it = streams.find(kind);
    if (it == streams.end()) {
        it = streams.emplace(kind, evsim::bench::make_stream(kind, events_per_stream(kind))).first;
    }
    return it->second;
}

// Looks at every event's data the way a consumer would (its size), so the parser's work cannot be
// judged dead by the optimiser.
class CountingHandler final : public evsim::sse::ParserHandler {
public:
    void on_event(const evsim::sse::Event& event) override {
        ++events;
        data_bytes += event.data.size();
    }

    std::uint64_t events = 0;
    std::uint64_t data_bytes = 0;
};

void set_rates(benchmark::State& state, std::size_t bytes_per_iteration, std::size_t events_per_iteration) {
    const auto iterations = static_cast<std::int64_t>(state.iterations());
    state.SetBytesProcessed(iterations * static_cast<std::int64_t>(bytes_per_iteration));
    state.counters["events"] = benchmark::Counter(
        static_cast<double>(iterations) * static_cast<double>(events_per_iteration), benchmark::Counter::kIsRate);
}

void BM_Parse(benchmark::State& state, StreamKind kind) {
    const std::string_view stream = stream_for(kind);
    const std::size_t expected_events = events_per_stream(kind);
    const auto chunk = static_cast<std::size_t>(state.range(0));
    CountingHandler handler;

    for (auto _ : state) {
        evsim::sse::Parser parser(handler);
        for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
            benchmark::DoNotOptimize(parser.feed(stream.substr(pos, chunk)));
        }
        parser.end_of_stream();
        benchmark::DoNotOptimize(handler.events);
        benchmark::DoNotOptimize(handler.data_bytes);
    }

    // A parser that lost events would look fast: refuse to report a figure for it.
    if (handler.events != expected_events * state.iterations()) {
        state.SkipWithError("parser reported a different number of events than were encoded");
        return;
    }
    set_rates(state, stream.size(), expected_events);
}

void parser_chunk_sizes(benchmark::internal::Benchmark* bench) {
    bench->ArgNames({"chunk"})->Args({1})->Args({64})->Args({16 * 1024})->Unit(benchmark::kMicrosecond);
}

BENCHMARK_CAPTURE(BM_Parse, small, StreamKind::small)->Apply(parser_chunk_sizes);
BENCHMARK_CAPTURE(BM_Parse, large, StreamKind::large)->Apply(parser_chunk_sizes);
BENCHMARK_CAPTURE(BM_Parse, multiline, StreamKind::multiline)->Apply(parser_chunk_sizes);
BENCHMARK_CAPTURE(BM_Parse, crlf, StreamKind::crlf)->Apply(parser_chunk_sizes);

// Encodes a batch of prepared events into one std::string reused across iterations: after the first
// iteration its capacity suffices, so this measures encoding, not allocation, as a server's
// per-connection write buffer would.
void BM_Encode(benchmark::State& state, StreamKind kind) {
    const std::size_t count = events_per_stream(kind);
    std::vector<evsim::sse::OutgoingEvent> events;
    events.reserve(count);
    for (std::size_t i = 0; i < count; ++i) events.push_back(evsim::bench::make_event(kind, i));
    const evsim::sse::Framing framing = evsim::bench::framing_of(kind);
    std::string out;

    for (auto _ : state) {
        out.clear();
        for (const auto& event : events) evsim::sse::encode(out, event, framing);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }

    set_rates(state, out.size(), count);
}

BENCHMARK_CAPTURE(BM_Encode, small, StreamKind::small)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Encode, large, StreamKind::large)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Encode, multiline, StreamKind::multiline)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Encode, crlf, StreamKind::crlf)->Unit(benchmark::kMicrosecond);

}  // namespace
