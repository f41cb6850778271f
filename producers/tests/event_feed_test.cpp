// EventFeed on its own io_context: sequence numbers, stamps from the clock it is given, publish(),
// the rate a cadence delivers, and stop() from inside the sink.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "evsim/producers/event_feed.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

using namespace std::chrono_literals;

struct Seen {
    measurement::Stamp stamp;
    std::string type;
    std::string data;
    measurement::DataForm form;
};

FeedSink collect(std::vector<Seen>& seen) {
    return [&seen](const FeedEvent& event) {
        seen.push_back({event.stamp, std::string(event.type), std::string(event.data), event.form});
    };
}

// A clock that only moves when told to.
struct FakeClock {
    std::shared_ptr<std::chrono::system_clock::time_point> now =
        std::make_shared<std::chrono::system_clock::time_point>(std::chrono::seconds(1'700'000'000));
    payload::Clock function() const {
        return [now = now] { return *now; };
    }
    std::int64_t us() const { return std::chrono::duration_cast<std::chrono::microseconds>(now->time_since_epoch()).count(); }
};

TEST(EventFeedTest, SeqStartsAtOneAndStampsComeFromTheClock) {
    boost::asio::io_context io;
    FakeClock clock;
    FeedOptions options;
    options.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    options.payload = payload::Counter{10, 1};
    options.clock = clock.function();
    std::vector<Seen> seen;
    auto feed = EventFeed::create(io, options, collect(seen));
    EXPECT_EQ(feed->events_made(), 0U);
    feed->start();  // the start emission, synchronously
    ASSERT_EQ(seen.size(), 1U);
    EXPECT_EQ(seen[0].stamp.seq, 1U);
    EXPECT_EQ(seen[0].stamp.sent_us, clock.us());
    EXPECT_EQ(seen[0].data, "10");
    EXPECT_EQ(seen[0].type, "");
    EXPECT_EQ(seen[0].form, measurement::DataForm::json);  // a number goes into an envelope as it is
    *clock.now += 1500us;
    feed->emit();
    feed->emit();
    ASSERT_EQ(seen.size(), 3U);
    EXPECT_EQ(seen[1].stamp.seq, 2U);
    EXPECT_EQ(seen[2].stamp.seq, 3U);
    EXPECT_EQ(seen[2].stamp.sent_us, seen[0].stamp.sent_us + 1500);
    EXPECT_EQ(seen[2].data, "12");
    EXPECT_EQ(feed->events_made(), 3U);
    feed->start();  // idempotent: no second start emission
    EXPECT_EQ(seen.size(), 3U);
    feed->stop();
}

TEST(EventFeedTest, PublishIsStampedWithTheNextSeq) {
    boost::asio::io_context io;
    FakeClock clock;
    FeedOptions options;
    options.events = {"a", "b"};
    options.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    options.payload = payload::Constant{"text"};
    options.clock = clock.function();
    std::vector<Seen> seen;
    auto feed = EventFeed::create(io, options, collect(seen));
    feed->start();
    ASSERT_EQ(seen.size(), 2U);  // one event per name
    EXPECT_EQ(seen[0].type, "a");
    EXPECT_EQ(seen[1].type, "b");
    EXPECT_EQ(seen[1].stamp.seq, 2U);
    EXPECT_EQ(seen[0].form, measurement::DataForm::text);
    *clock.now += 1s;
    feed->publish("custom", "{\"x\":1}", measurement::DataForm::json);
    ASSERT_EQ(seen.size(), 3U);
    EXPECT_EQ(seen[2].stamp.seq, 3U);
    EXPECT_EQ(seen[2].stamp.sent_us, clock.us());
    EXPECT_EQ(seen[2].type, "custom");
    EXPECT_EQ(seen[2].data, "{\"x\":1}");
    EXPECT_EQ(seen[2].form, measurement::DataForm::json);
    feed->emit();
    ASSERT_EQ(seen.size(), 5U);
    EXPECT_EQ(seen[3].stamp.seq, 4U);
    EXPECT_EQ(seen[4].stamp.seq, 5U);
    feed->stop();
    feed->publish("late", "x");  // nothing after stop()
    feed->emit();
    EXPECT_EQ(seen.size(), 5U);
}

TEST(EventFeedTest, NoStartEmissionWhenDisabled) {
    boost::asio::io_context io;
    FeedOptions options;
    options.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    options.emit_on_start = false;
    std::vector<Seen> seen;
    auto feed = EventFeed::create(io, options, collect(seen));
    feed->start();
    EXPECT_TRUE(seen.empty());
    feed->publish("", "1");
    ASSERT_EQ(seen.size(), 1U);
    EXPECT_EQ(seen[0].stamp.seq, 1U);
    feed->stop();
}

TEST(EventFeedTest, BadSpecsAreRejectedAtCreate) {
    boost::asio::io_context io;
    FeedOptions bad_payload;
    bad_payload.payload = payload::RandomInt{5, 1};
    EXPECT_THROW(EventFeed::create(io, bad_payload, [](const FeedEvent&) {}), payload::SpecError);
    FeedOptions bad_cadence;
    bad_cadence.cadence = cadence::Rate{-1};
    EXPECT_THROW(EventFeed::create(io, bad_cadence, [](const FeedEvent&) {}), cadence::SpecError);
}

TEST(EventFeedTest, RateCadenceDeliversRoughlyTheRate) {
    boost::asio::io_context io;
    FeedOptions options;
    options.cadence = cadence::Rate{2000};
    options.emit_on_start = false;
    std::vector<Seen> seen;
    auto feed = EventFeed::create(io, options, collect(seen));
    const auto started = std::chrono::steady_clock::now();
    feed->start();
    io.run_for(300ms);  // the measuring window, bounded
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    feed->stop();
    // 2000/s over the window; missed deadlines are made up, so even a loaded machine gets most of
    // them. Only a loose lower bound: a quarter of what the elapsed time asks for.
    EXPECT_GE(static_cast<double>(seen.size()), 0.25 * 2000 * std::min(elapsed, 1.0)) << seen.size() << " in " << elapsed << " s";
    for (std::size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i].stamp.seq, i + 1);
}

TEST(EventFeedTest, StopFromInsideTheSinkStopsFurtherEvents) {
    boost::asio::io_context io;
    FeedOptions options;
    options.cadence = cadence::Rate{2000};
    // The sink's own state lives in its closure: stop() drops the sink while it runs, which must not
    // free what the running call still uses.
    struct State {
        std::vector<std::uint64_t> seqs;
        std::shared_ptr<EventFeed> feed;
    };
    auto state = std::make_shared<State>();
    std::weak_ptr<State> watch = state;
    auto counter = std::make_shared<std::vector<std::uint64_t>>();
    auto feed = EventFeed::create(io, options, [state, counter](const FeedEvent& event) {
        state->seqs.push_back(event.stamp.seq);
        if (state->seqs.size() == 5) {
            auto self = std::move(state->feed);  // breaks the cycle
            self->stop();
        }
        counter->push_back(event.stamp.seq);  // after stop(): the closure must still be alive
    });
    state->feed = feed;
    state.reset();
    feed->start();
    io.run_for(test::timeout);
    EXPECT_TRUE(io.stopped());  // no timer left: run() ran out of work instead of time
    EXPECT_EQ(*counter, (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    EXPECT_TRUE(watch.expired());  // the sink was dropped
    EXPECT_EQ(feed->events_made(), 5U);
}

TEST(EventFeedTest, StopInsideTheStartEmissionLeavesNoTimer) {
    boost::asio::io_context io;
    FeedOptions options;
    options.events = {"a", "b", "c"};
    options.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    std::shared_ptr<EventFeed> feed;
    std::vector<std::string> types;
    feed = EventFeed::create(io, options, [&](const FeedEvent& event) {
        types.emplace_back(event.type);
        feed->stop();
    });
    feed->start();
    EXPECT_EQ(types, std::vector<std::string>{"a"});  // not b and c, emitted after the stop
    io.run_for(test::timeout);
    EXPECT_TRUE(io.stopped());  // an hour-long timer armed after stop() would keep run() busy
}

}  // namespace
}  // namespace evsim::producers
