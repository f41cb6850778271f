// The browser connection pool model: six per host, the seventh waits and is granted with its wait
// time when one is given back, hosts are independent, withdrawals, raw mode.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "evsim/loadgen/connection_pool.hpp"

namespace evsim::loadgen {
namespace {

using namespace std::chrono_literals;
using Clock = ConnectionPool::Clock;

struct FakeClock {
    Clock::time_point now{};
    std::function<Clock::time_point()> function() {
        return [this] { return now; };
    }
};

const PoolHost dashboard_host{"http", "localhost", 8081};

TEST(ConnectionPoolTest, SevenEventSourcesToOneHostSixOpenOnePending) {
    FakeClock clock;
    ConnectionPool pool(6, clock.function());
    std::vector<ConnectionPool::Id> ids;
    std::vector<bool> granted(7, false);
    std::vector<Clock::duration> waited(7, Clock::duration::max());
    for (int i = 0; i < 7; ++i) {
        ids.push_back(pool.acquire(dashboard_host, [&, i](Clock::duration w) {
            granted[i] = true;
            waited[i] = w;
        }));
    }
    EXPECT_EQ(pool.open(dashboard_host), 6U);
    EXPECT_EQ(pool.waiting(dashboard_host), 1U);
    EXPECT_EQ(pool.waiting(), 1U);
    for (int i = 0; i < 6; ++i) {
        EXPECT_TRUE(granted[i]);
        EXPECT_EQ(waited[i], Clock::duration::zero());
    }
    EXPECT_FALSE(granted[6]);
    EXPECT_TRUE(pool.is_waiting(ids[6]));

    // Closing one EventSource hands its connection to the seventh, 2.5 s later.
    clock.now += 2500ms;
    pool.release(ids[2]);
    EXPECT_TRUE(granted[6]);
    EXPECT_EQ(waited[6], 2500ms);
    EXPECT_EQ(pool.open(dashboard_host), 6U);
    EXPECT_EQ(pool.waiting(), 0U);
    EXPECT_FALSE(pool.is_waiting(ids[6]));
}

TEST(ConnectionPoolTest, HostsAreCountedApartAndWaitersAreServedInOrder) {
    ConnectionPool pool(2);
    const PoolHost other{"http", "localhost", 8080};
    const PoolHost secure{"https", "localhost", 8081};
    std::vector<int> order;
    const auto a = pool.acquire(dashboard_host, {});
    pool.acquire(dashboard_host, {});
    pool.acquire(dashboard_host, [&](Clock::duration) { order.push_back(1); });
    pool.acquire(dashboard_host, [&](Clock::duration) { order.push_back(2); });
    bool other_granted = false;
    pool.acquire(other, [&](Clock::duration) { other_granted = true; });
    pool.acquire(secure, {});
    EXPECT_TRUE(other_granted);  // another port is another host
    EXPECT_EQ(pool.open(secure), 1U);
    EXPECT_EQ(pool.waiting(dashboard_host), 2U);
    pool.release(a);
    EXPECT_EQ(order, std::vector<int>{1});
}

TEST(ConnectionPoolTest, WithdrawnWaitersAreNeverGrantedAndUnknownIdsAreIgnored) {
    ConnectionPool pool(1);
    const auto holder = pool.acquire(dashboard_host, {});
    bool granted = false;
    const auto waiter = pool.acquire(dashboard_host, [&](Clock::duration) { granted = true; });
    pool.release(waiter);  // the dashboard gave up on it
    EXPECT_EQ(pool.waiting(), 0U);
    pool.release(holder);
    EXPECT_FALSE(granted);
    EXPECT_EQ(pool.open(dashboard_host), 0U);
    pool.release(holder);  // twice: ignored
    pool.release(12345);
    EXPECT_EQ(pool.open(dashboard_host), 0U);
}

TEST(ConnectionPoolTest, RawModeHasNoLimit) {
    ConnectionPool pool(0);
    for (int i = 0; i < 100; ++i) pool.acquire(dashboard_host, {});
    EXPECT_EQ(pool.open(dashboard_host), 100U);
    EXPECT_EQ(pool.waiting(), 0U);
}

}  // namespace
}  // namespace evsim::loadgen
