#include "watch_request.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <charconv>
#include <set>

#include "evsim/core/duration.hpp"
#include "evsim/core/percent_encoding.hpp"

namespace evsim::producers {

namespace {

constexpr std::string_view kPrefix = "/db/watch/";

WatchRefusal bad(std::string reason) { return WatchRefusal{400, std::move(reason)}; }

// A Go-style duration with a unit ("3s", "500ms", "1m"); nullopt (and `problem`) otherwise.
std::optional<std::chrono::milliseconds> duration_param(std::string_view name, const std::string& value,
                                                        std::string& problem) {
    if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos && value != "0") {
        problem = std::string(name) + ": '" + value + "' needs a unit, like 3s or 500ms";
        return std::nullopt;
    }
    try {
        return std::chrono::duration_cast<std::chrono::milliseconds>(parse_duration(value));
    } catch (const DurationError&) {
        problem = std::string(name) + ": '" + value + "' is not a duration like 3s, 500ms or 1m";
        return std::nullopt;
    }
}

std::optional<unsigned> count_param(const std::string& value, unsigned max) {
    unsigned n = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || error != std::errc{} || end != value.data() + value.size() || n > max) return std::nullopt;
    return n;
}

}  // namespace

std::variant<WatchRequest, WatchRefusal> parse_watch_request(std::string_view target,
                                                            const std::vector<scenario::WatchTable>& tables) {
    const auto url = boost::urls::parse_origin_form(target);
    if (!url) return bad("malformed request target");
    const std::string_view path = url->encoded_path();
    if (path.substr(0, kPrefix.size()) != kPrefix || path.size() == kPrefix.size())
        return WatchRefusal{404, "not found: the watch API is /db/watch/{table}"};
    const auto name = percent::decode(path.substr(kPrefix.size()));
    if (!name || name->find('/') != std::string::npos) return WatchRefusal{404, "not found: the watch API is /db/watch/{table}"};
    WatchRequest request;
    const auto found = std::find_if(tables.begin(), tables.end(),
                                    [&](const scenario::WatchTable& t) { return boost::algorithm::iequals(t.name, *name); });
    if (found == tables.end()) return WatchRefusal{404, "table '" + *name + "' does not exist"};
    request.table = static_cast<std::size_t>(found - tables.begin());
    const bool tag_table = found->kind == scenario::WatchTable::Kind::tag;

    std::set<std::string> seen;
    for (const auto& param : url->params()) {
        const std::string key = param.key;
        const std::string value = param.value;
        if (key != "tag" && !seen.insert(key).second) return bad(key + ": given twice");
        std::string problem;
        if (key == "timeformat") {
            if (value == "s") request.format = WatchTimeFormat::s;
            else if (value == "ms") request.format = WatchTimeFormat::ms;
            else if (value == "us") request.format = WatchTimeFormat::us;
            else if (value == "ns") request.format = WatchTimeFormat::ns;
            else if (value == "default" || value == "Default") request.format = WatchTimeFormat::text;
            else return bad("timeformat: expected s, ms, us, ns or default, got '" + value + "'");
        } else if (key == "tz") {
            std::string zone_name = value;
            if (boost::algorithm::iequals(value, "UTC")) zone_name = "UTC";
            if (boost::algorithm::iequals(value, "Local")) zone_name = "Local";
            std::string error;
            auto zone = tz::load_zone(zone_name, error);
            if (!zone) return bad("tz: " + error);
            request.zone = *zone;
        } else if (key == "period") {
            const auto period = duration_param("period", value, problem);
            if (!period) return bad(problem);
            if (*period < std::chrono::milliseconds(10)) return bad("period: '" + value + "' is below the 10ms minimum");
            request.period = *period;
        } else if (key == "keep-alive") {
            const auto keep_alive = duration_param("keep-alive", value, problem);
            if (!keep_alive) return bad(problem);
            if (keep_alive->count() > 0 && *keep_alive < std::chrono::milliseconds(100))
                return bad("keep-alive: '" + value + "' is below the 100ms minimum (0 turns it off)");
            request.keep_alive = *keep_alive;
        } else if (key == "tag") {
            if (!tag_table) return bad("tag: table '" + found->name + "' is a log table; tag applies to tag tables");
            if (std::find(found->tags.begin(), found->tags.end(), value) == found->tags.end())
                return bad("tag: '" + value + "' does not exist in table '" + found->name + "'");
            if (std::find(request.tags.begin(), request.tags.end(), value) == request.tags.end())
                request.tags.push_back(value);
        } else if (key == "parallelism") {
            if (!tag_table) return bad("parallelism: applies to tag tables; '" + found->name + "' is a log table");
            const auto n = count_param(value, 1024);
            if (!n) return bad("parallelism: expected a whole number from 0 to 1024, got '" + value + "'");
            request.parallelism = *n;
        } else if (key == "max-rows") {
            if (tag_table) return bad("max-rows: applies to log tables; '" + found->name + "' is a tag table");
            const auto n = count_param(value, 1'000'000);
            if (!n || *n == 0) return bad("max-rows: expected a whole number from 1, got '" + value + "'");
            request.max_rows = std::min(*n, watch_max_rows_limit);
        } else {
            return bad("unknown parameter '" + key +
                       "' (timeformat, tz, period, keep-alive; tag and parallelism for tag tables; max-rows for log tables)");
        }
    }
    if (tag_table && request.tags.empty())
        return bad("tag: required for tag table '" + found->name + "' (tag=NAME, repeatable)");
    return request;
}

std::string format_watch_time(std::int64_t unix_nanos, WatchTimeFormat format, const tz::Zone& zone) {
    switch (format) {
        case WatchTimeFormat::s: return std::to_string(unix_nanos / 1'000'000'000);
        case WatchTimeFormat::ms: return std::to_string(unix_nanos / 1'000'000);
        case WatchTimeFormat::us: return std::to_string(unix_nanos / 1'000);
        case WatchTimeFormat::ns: return std::to_string(unix_nanos);
        case WatchTimeFormat::text: break;
    }
    using namespace std::chrono;
    const std::int64_t seconds = unix_nanos >= 0 ? unix_nanos / 1'000'000'000 : -((-unix_nanos + 999'999'999) / 1'000'000'000);
    const auto millis = static_cast<int>((unix_nanos - seconds * 1'000'000'000) / 1'000'000);
    const sys_seconds local{std::chrono::seconds(seconds + zone.offset_at(seconds))};
    const auto day = floor<days>(local);
    const year_month_day date{day};
    const hh_mm_ss<std::chrono::seconds> time{local - day};
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02lld:%02lld:%02lld", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long long>(time.hours().count()), static_cast<long long>(time.minutes().count()),
                  static_cast<long long>(time.seconds().count()));
    std::string out = buffer;
    if (millis > 0) {
        char fraction[16];
        std::snprintf(fraction, sizeof fraction, ".%03d", millis);
        std::string f = fraction;
        while (f.back() == '0') f.pop_back();
        out += f;
    }
    return out;
}

}  // namespace evsim::producers
