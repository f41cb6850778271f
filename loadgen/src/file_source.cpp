// A FILE source: reads the file at every interval, as the dashboard's file poller does, with the
// core codec. A read the codec rejects (a torn or half-written file) is counted; the records of a
// read that differs from the previous good one are new events, and their send stamps (measurement
// metadata in the record data) give the age of the data when it was first seen.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fstream>

#include "evsim/core/file_format.hpp"
#include "evsim/core/measurement.hpp"
#include "coroutine_source.hpp"

namespace evsim::loadgen::detail {

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// The file's contents up to the codec's limit plus one byte (so an oversized file is rejected as
// such); nullopt when it cannot be opened.
std::optional<std::string> read_bounded(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(file_format::Limits{}.max_input_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return std::nullopt;
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

struct FilePoller : std::enable_shared_from_this<FilePoller> {
    FilePoller(const ResolvedSource& source, SourceContext& ctx) : settings(source), context(ctx), wake(ctx.executor) {
        path = source.url.starts_with("file://") ? source.url.substr(7) : source.url;
        if (path.empty() || path.front() != '/')
            throw std::invalid_argument("a file source needs an absolute path or file:// URL, not '" + source.url +
                                        "'");
    }
    asio::awaitable<void> run();
    void poll();
    void stop() {
        stopped = true;
        wake.cancel();
    }

    ResolvedSource settings;
    std::string path;
    SourceContext& context;
    asio::steady_timer wake;
    std::string previous;
    Clock::time_point started{};
    bool got_event = false;
    bool stopped = false;
};

void FilePoller::poll() {
    const auto text = read_bounded(path);
    if (!text) {
        context.recorder.file_read(true, 0);
        return;
    }
    const auto parsed = file_format::parse(*text);
    context.recorder.file_read(!parsed.ok(), text->size());
    if (!parsed.ok() || *text == previous) return;
    previous = *text;
    if (!got_event && !parsed.records.empty()) {
        got_event = true;
        context.recorder.first_event(micros_between(started, Clock::now()));
    }
    for (const auto& record : parsed.records) {
        const auto envelope = measurement::parse_envelope(record.data);
        const std::int64_t age = envelope ? unix_now_us() - envelope->stamp.sent_us : 0;
        context.recorder.event(age > 0 ? static_cast<std::uint64_t>(age) : 0, envelope.has_value());
    }
}

asio::awaitable<void> FilePoller::run() {
    auto self = shared_from_this();
    started = Clock::now();
    const auto interval = std::chrono::duration_cast<Clock::duration>(settings.interval);
    for (std::uint64_t k = 0; !stopped; ++k) {
        const auto intended = started + interval * static_cast<Clock::rep>(k);
        if (Clock::now() < intended) {
            wake.expires_at(intended);
            co_await wake.async_wait(kAwait);
            if (stopped) co_return;
        }
        context.recorder.schedule_lag(micros_between(intended, Clock::now()));
        poll();
    }
}

}  // namespace

std::unique_ptr<Source> make_file_source(const ResolvedSource& source, SourceContext& context) {
    return std::make_unique<CoroutineSource<FilePoller>>(source, context);
}

}  // namespace evsim::loadgen::detail
