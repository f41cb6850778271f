// An SSE source: evsim's EventSource client (the browser's processing model: reconnects with
// Last-Event-ID after the retry delay, stops for good on a bad status or content type), measured.
#include <optional>

#include "evsim/core/measurement.hpp"
#include "evsim/core/sequence_tracker.hpp"
#include "evsim/loadgen/event_source_client.hpp"
#include "source.hpp"

namespace evsim::loadgen::detail {

namespace {

using Clock = std::chrono::steady_clock;

// The send stamp of a pushed event: in its id (`sse: {id: measurement}`), else in a JSON envelope.
std::optional<measurement::Stamp> stamp_of(std::string_view id, std::string_view data) {
    if (auto stamp = measurement::parse_id(id)) return stamp;
    if (auto envelope = measurement::parse_envelope(data)) return envelope->stamp;
    return std::nullopt;
}

std::string reason_of(const ErrorInfo& info) {
    if (info.kind == ErrorInfo::Kind::status) return "sse.status_" + std::to_string(info.status);
    return "sse." + std::string(to_string(info.kind));
}

class SseSource final : public Source, public EventSourceObserver {
public:
    SseSource(const ResolvedSource& source, SourceContext& context)
        : context_(context), host_(pool_host_of(source.url)) {
        options_.url = source.url;
        options_.headers = source.headers;
        options_.connect_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(source.timeout);
        options_.tls.verify_peer = !source.insecure;
        options_.tls_context = context.tls;
        client_.emplace(context.executor, options_, *this);  // checks the URL
    }
    ~SseSource() override { stop(); }

    void start() override {
        started_ = Clock::now();
        ticket_.acquire(context_.pools ? &context_.pools->http : nullptr, host_, context_, [this] {
            if (!stopped_) client_->start();
        });
    }

    void stop() override {
        if (stopped_) return;
        stopped_ = true;
        client_->close();  // on this thread: no observer call follows
        if (open_) context_.gauges.open.add(-1);
        open_ = false;
        ticket_.release();
        context_.recorder.stream_finished(tracker_);
    }

private:
    void on_request(const std::string&, const std::string&) override {
        context_.recorder.connect_attempt();
        requested_ = Clock::now();
    }
    void on_open() override {
        const auto now = Clock::now();
        open_ = true;
        context_.gauges.open.add(1);
        context_.recorder.connected(micros_between(requested_, now), disconnected_.has_value(),
                                    disconnected_ ? micros_between(*disconnected_, now) : 0);
        disconnected_.reset();
    }
    void on_message(const sse::Event& event) override {
        if (!got_event_) {
            got_event_ = true;
            context_.recorder.first_event(micros_between(started_, Clock::now()));
        }
        const auto stamp = stamp_of(event.last_event_id, event.data);
        if (!stamp) {
            context_.recorder.event(0, false);
            return;
        }
        tracker_.on_sequence(stamp->seq);
        const std::int64_t age = unix_now_us() - stamp->sent_us;
        context_.recorder.event(age > 0 ? static_cast<std::uint64_t>(age) : 0, true);
    }
    void on_bytes(std::size_t count) override { context_.recorder.received_bytes(count); }
    void on_error(ReadyState state, const ErrorInfo& info) override {
        const std::string reason = reason_of(info);
        if (open_) {
            open_ = false;
            context_.gauges.open.add(-1);
            context_.recorder.disconnected(reason);
            disconnected_ = Clock::now();
        } else {
            context_.recorder.connect_failed(reason);
        }
        // A failed EventSource is closed for good: its connection goes back to the pool.
        if (state == ReadyState::closed) ticket_.release();
    }

    SourceContext& context_;
    PoolHost host_;
    EventSourceOptions options_;
    std::optional<EventSourceClient> client_;
    PoolTicket ticket_;
    measurement::SequenceTracker tracker_;
    Clock::time_point started_{};
    Clock::time_point requested_{};
    std::optional<Clock::time_point> disconnected_;
    bool open_ = false;
    bool got_event_ = false;
    bool stopped_ = false;
};

}  // namespace

std::unique_ptr<Source> make_sse_source(const ResolvedSource& source, SourceContext& context) {
    return std::make_unique<SseSource>(source, context);
}

}  // namespace evsim::loadgen::detail
