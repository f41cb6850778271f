#include "evsim/producers/push_producer.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace evsim::producers {

FeedOptions feed_options(const scenario::ProducerSpec& spec, const ProducerContext& context) {
    FeedOptions options;
    options.events = spec.events;
    options.cadence = spec.cadence;
    options.payload = spec.payload;
    options.seed = context.seed;
    options.clock = context.clock;
    return options;
}

PushProducer::PushProducer(boost::asio::io_context& io, scenario::ProducerSpec spec, const ProducerContext& context)
    : HttpProducer(std::move(spec), context.stats),
      io_(io),
      context_(context),
      connections_(ConnectionSet::create(io)),
      faults_(spec_.faults, context.seed),
      channel_(io.get_executor()) {
    // Checked here so that a bad cadence or payload fails construction, not start(). The feed
    // itself is made by start(): its sink needs the shared_ptr that owns this object.
    cadence::validate(spec_.cadence);
    payload::validate(spec_.payload);
}

void PushProducer::start() {
    if (stopped_ || feed_) return;
    feed_ = EventFeed::create(io_, feed_options(spec_, context_),
                              [weak = weak_from_this()](const FeedEvent& event) {
                                  if (auto self = weak.lock()) self->on_event(event);
                              });
    on_start();
    started_at_ = std::chrono::steady_clock::now();
    arm_fault_timer();
    feed_->start();
}

void PushProducer::stop(std::chrono::milliseconds grace) {
    if (stopped_) return;
    stopped_ = true;
    if (feed_) feed_->stop();
    if (fault_timer_) fault_timer_->cancel();
    on_stop();
    connections_->close_all(grace);
    channel_.clear();
    latest_.clear();
}

void PushProducer::publish(std::string_view type, std::string_view data, measurement::DataForm form) {
    if (feed_) feed_->publish(type, data, form);
}

std::size_t PushProducer::clients() const { return channel_.subscriber_count(); }

void PushProducer::join(std::shared_ptr<Subscriber> session, boost::asio::any_io_executor where,
                        std::string last_event_id) {
    auto subscribe = [self = shared_from_this(), session = std::move(session), where = std::move(where),
                      last_event_id = std::move(last_event_id)]() mutable {
        if (self->stopped_) return;
        self->channel_.subscribe(std::move(session), where, self->first_messages(last_event_id));
    };
    if (io_.get_executor().running_in_this_thread()) {
        subscribe();
    } else {
        boost::asio::post(io_, std::move(subscribe));
    }
}

std::vector<Message> PushProducer::first_messages(std::string_view /*last_event_id*/) {
    std::vector<Message> first;
    first.reserve(latest_.size());
    for (const auto& [name, message] : latest_) first.push_back(message);
    return first;
}

void PushProducer::inject_fault(std::shared_ptr<const faults::FaultSpec> fault) {
    if (stopped_) return;
    if (faults::is_request_fault(fault->kind)) {
        faults_.arm(std::move(fault));
    } else {
        inject_everywhere(fault, false);
    }
}

std::shared_ptr<const faults::FaultSpec> PushProducer::request_fault() {
    auto fault = faults_.on_request();
    if (fault) count(stats_->faults_injected);
    return fault;
}

void PushProducer::inject_everywhere(const std::shared_ptr<const faults::FaultSpec>& fault, bool next_message) {
    channel_.inject(fault, next_message);
}

void PushProducer::arm_fault_timer() {
    const auto due = faults_.any() ? faults_.next_due() : std::nullopt;
    if (!due) return;
    if (!fault_timer_) fault_timer_.emplace(io_);
    fault_timer_->expires_at(started_at_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(*due));
    fault_timer_->async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
        auto self = weak.lock();
        if (error || !self || self->stopped_) return;
        const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                                  self->started_at_);
        for (const auto& fault : self->faults_.on_time(elapsed)) self->inject_everywhere(fault, false);
        self->arm_fault_timer();
    });
}

void PushProducer::on_event(const FeedEvent& event) {
    auto message = encode(event);
    count(stats_->events_published);
    idle_since_check_ = false;
    // Producer-scope faults go to every connection for the message about to be delivered.
    if (faults_.any()) {
        for (const auto& fault : faults_.on_event()) inject_everywhere(fault, true);
    }
    channel_.publish(message);
    after_publish(event, message);
    const auto it = std::find_if(latest_.begin(), latest_.end(), [&](const auto& entry) { return entry.first == event.type; });
    if (it != latest_.end()) {
        it->second = std::move(message);
    } else if (latest_.size() < 64) {  // published names are bounded too: the control API can invent any
        latest_.emplace_back(std::string(event.type), std::move(message));
    }
}

}  // namespace evsim::producers
