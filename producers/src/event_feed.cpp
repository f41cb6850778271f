#include "evsim/producers/event_feed.hpp"

#include <utility>

namespace evsim::producers {

namespace {

measurement::DataForm form_of(payload::ValueKind kind) {
    return kind == payload::ValueKind::text ? measurement::DataForm::text : measurement::DataForm::json;
}

}  // namespace

std::shared_ptr<EventFeed> EventFeed::create(boost::asio::io_context& io, FeedOptions options, FeedSink sink) {
    return std::make_shared<EventFeed>(PrivateTag{}, io, std::move(options), std::move(sink));
}

EventFeed::EventFeed(PrivateTag, boost::asio::io_context& io, FeedOptions options, FeedSink sink)
    : timer_(io),
      cadence_(cadence::make_cadence(options.cadence, options.seed)),
      sink_(std::move(sink)),
      clock_(options.clock ? std::move(options.clock) : payload::Clock(&std::chrono::system_clock::now)),
      emit_on_start_(options.emit_on_start) {
    if (options.events.empty()) options.events.emplace_back();
    // One name keeps the feed's own seed, so a single-event producer's values depend on the seed
    // alone (the reference emitters rely on that); several names get a stream each.
    const bool single = options.events.size() == 1;
    for (auto& name : options.events) {
        const auto seed = single ? options.seed : payload::field_seed(options.seed, name);
        auto generator = payload::make_generator(options.payload, seed, clock_);
        const auto form = form_of(generator->kind());
        sources_.push_back(Source{std::move(name), std::move(generator), form});
    }
}

void EventFeed::start() {
    if (started_ || stopped_) return;
    started_ = true;
    if (emit_on_start_) emit();
    if (stopped_) return;  // the sink stopped the feed: arming the timer would keep the io_context busy
    next_ = std::chrono::steady_clock::now() + cadence_->next_gap();
    arm();
}

void EventFeed::stop() {
    stopped_ = true;
    sink_ = nullptr;
    timer_.cancel();
}

void EventFeed::emit() {
    for (auto& source : sources_) {
        buffer_.clear();
        source.generator->next(buffer_);
        deliver(source.name, buffer_, source.form);
    }
}

void EventFeed::publish(std::string_view type, std::string_view data, measurement::DataForm form) {
    deliver(type, data, form);
}

void EventFeed::deliver(std::string_view type, std::string_view data, measurement::DataForm form) {
    if (stopped_ || !sink_) return;
    const FeedEvent event{{next_seq_++, now_us()}, type, data, form};
    // The sink may call stop(), which drops sink_: destroying the std::function while it runs would
    // free the closure under the running call. Hold it here meanwhile and put it back unless stopped
    // (also when it throws: start() lets a sink's exception through).
    struct Restore {
        EventFeed& feed;
        FeedSink sink;
        ~Restore() {
            if (!feed.stopped_) feed.sink_ = std::move(sink);
        }
    } held{*this, std::move(sink_)};
    held.sink(event);
}

std::int64_t EventFeed::now_us() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(clock_().time_since_epoch()).count();
}

void EventFeed::arm() {
    timer_.expires_at(next_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
        if (error || self->stopped_) return;
        self->on_timer();
    });
}

void EventFeed::on_timer() {
    const auto woke = std::chrono::steady_clock::now();
    // After a stall (a suspended laptop, a debugger, an overloaded machine) restart the schedule
    // instead of bursting everything that was missed.
    if (woke - next_ > max_lag) next_ = woke;
    auto now = woke;
    std::size_t made = 0;
    // Make up missed emissions, but yield to the connections' handlers after max_catch_up_time so
    // a burst of publishes to many clients never blocks the io_context for long.
    while (next_ <= now && !stopped_ && now - woke < max_catch_up_time) {
        emit();
        ++made;
        next_ += cadence_->next_gap();
        if (made % 16 == 0) now = std::chrono::steady_clock::now();
    }
    if (stopped_) return;
    arm();
}

}  // namespace evsim::producers
