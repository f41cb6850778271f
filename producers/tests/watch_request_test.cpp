// The watch API's parameters (reference 002) and its TIME formats, without a socket.
#include <gtest/gtest.h>

#include "../src/watch_request.hpp"

namespace evsim::producers {
namespace {

using Kind = scenario::WatchTable::Kind;

const std::vector<scenario::WatchTable> kTables{{"example", Kind::tag, {"neo_load1", "neo_load5"}},
                                                {"events", Kind::log, {}}};

WatchRequest ok(std::string_view target) {
    auto parsed = parse_watch_request(target, kTables);
    if (auto* refused = std::get_if<WatchRefusal>(&parsed)) ADD_FAILURE() << target << ": " << refused->reason;
    return std::get_if<WatchRequest>(&parsed) ? std::get<WatchRequest>(parsed) : WatchRequest{};
}

WatchRefusal refused(std::string_view target) {
    auto parsed = parse_watch_request(target, kTables);
    if (std::holds_alternative<WatchRequest>(parsed)) {
        ADD_FAILURE() << target << " was accepted";
        return {};
    }
    return std::get<WatchRefusal>(parsed);
}

TEST(WatchRequest, TheDocumentsExamplesAndDefaults) {
    const auto curl = ok("/db/watch/example?tag=neo_load1&tag=neo_load5&period=3s&timeformat=s");
    EXPECT_EQ(curl.table, 0U);
    EXPECT_EQ(curl.tags, (std::vector<std::string>{"neo_load1", "neo_load5"}));
    EXPECT_EQ(curl.period, std::chrono::seconds(3));
    EXPECT_EQ(curl.format, WatchTimeFormat::s);
    const auto js = ok("/db/watch/EXAMPLE?tag=neo_load1&tag=neo_load5&period=3s&keep-alive=30s&timeformat=default");
    EXPECT_EQ(js.format, WatchTimeFormat::text);
    EXPECT_EQ(js.keep_alive, std::chrono::seconds(30));
    const auto defaults = ok("/db/watch/example?tag=neo_load1");
    EXPECT_EQ(defaults.format, WatchTimeFormat::ns);
    EXPECT_EQ(defaults.period, std::chrono::seconds(3));
    EXPECT_EQ(defaults.keep_alive, std::chrono::seconds(30));
    EXPECT_EQ(defaults.zone.offset_at(1729070964), 0);
    const auto log = ok("/db/watch/events");
    EXPECT_EQ(log.table, 1U);
    EXPECT_EQ(log.max_rows, 20U);
    EXPECT_EQ(ok("/db/watch/events?max-rows=500").max_rows, 100U);  // the hard limit
    EXPECT_EQ(ok("/db/watch/example?tag=neo_load1&tz=Asia/Seoul").zone.offset_at(1729070964), 9 * 3600);
    EXPECT_EQ(ok("/db/watch/example?tag=neo_load1&tz=Asia%2FSeoul").zone.offset_at(1729070964), 9 * 3600);
    EXPECT_EQ(ok("/db/watch/example?tag=neo_load5&tag=neo_load5&parallelism=2").tags.size(), 1U);
}

TEST(WatchRequest, MistakesAre400WithTheReasonAndUnknownTables404) {
    EXPECT_EQ(refused("/db/watch/nope?tag=a").status, 404U);
    EXPECT_EQ(refused("/db/watch/nope?tag=a").reason, "table 'nope' does not exist");
    EXPECT_EQ(refused("/db/watch/").status, 404U);
    EXPECT_EQ(refused("/db/other").status, 404U);
    const std::pair<const char*, const char*> cases[] = {
        {"/db/watch/example", "tag: required for tag table 'example' (tag=NAME, repeatable)"},
        {"/db/watch/example?tag=cpu", "tag: 'cpu' does not exist in table 'example'"},
        {"/db/watch/example?tag=neo_load1&colour=red", "unknown parameter 'colour'"},
        {"/db/watch/example?tag=neo_load1&timeformat=hours", "timeformat: expected s, ms, us, ns or default, got 'hours'"},
        {"/db/watch/example?tag=neo_load1&tz=Mars/Base", "tz: unknown time zone 'Mars/Base'"},
        {"/db/watch/example?tag=neo_load1&period=3", "period: '3' needs a unit, like 3s or 500ms"},
        {"/db/watch/example?tag=neo_load1&period=soon", "period: 'soon' is not a duration like 3s, 500ms or 1m"},
        {"/db/watch/example?tag=neo_load1&period=1ms", "period: '1ms' is below the 10ms minimum"},
        {"/db/watch/example?tag=neo_load1&period=3s&period=4s", "period: given twice"},
        {"/db/watch/example?tag=neo_load1&keep-alive=10ms", "keep-alive: '10ms' is below the 100ms minimum"},
        {"/db/watch/example?tag=neo_load1&parallelism=-1", "parallelism: expected a whole number from 0 to 1024"},
        {"/db/watch/example?tag=neo_load1&max-rows=5", "max-rows: applies to log tables"},
        {"/db/watch/events?tag=neo_load1", "tag: table 'events' is a log table"},
        {"/db/watch/events?max-rows=0", "max-rows: expected a whole number from 1, got '0'"},
        {"/db/watch/events?parallelism=1", "parallelism: applies to tag tables"},
    };
    for (const auto& [target, reason] : cases) {
        const auto r = refused(target);
        EXPECT_EQ(r.status, 400U) << target;
        EXPECT_EQ(r.reason.rfind(reason, 0), 0U) << target << ": " << r.reason;
    }
}

TEST(WatchRequest, TimeFormats) {
    const std::int64_t t = 1729070964'123456789;
    const auto utc = tz::Zone::fixed(0);
    EXPECT_EQ(format_watch_time(t, WatchTimeFormat::s, utc), "1729070964");
    EXPECT_EQ(format_watch_time(t, WatchTimeFormat::ms, utc), "1729070964123");
    EXPECT_EQ(format_watch_time(t, WatchTimeFormat::us, utc), "1729070964123456");
    EXPECT_EQ(format_watch_time(t, WatchTimeFormat::ns, utc), "1729070964123456789");
    EXPECT_EQ(format_watch_time(t, WatchTimeFormat::text, utc), "2024-10-16 09:29:24.123");
    EXPECT_EQ(format_watch_time(t, WatchTimeFormat::text, tz::Zone::fixed(9 * 3600)), "2024-10-16 18:29:24.123");
    EXPECT_EQ(format_watch_time(1729070964'500000000, WatchTimeFormat::text, utc), "2024-10-16 09:29:24.5");
    EXPECT_EQ(format_watch_time(1729070964'000000000, WatchTimeFormat::text, utc), "2024-10-16 09:29:24");
    EXPECT_EQ(format_watch_time(1704067199'000000000, WatchTimeFormat::text, tz::Zone::fixed(3600)), "2024-01-01 00:59:59");
}

}  // namespace
}  // namespace evsim::producers
