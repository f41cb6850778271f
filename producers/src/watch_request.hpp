// A request to the watch API (reference document 002): GET /db/watch/{table}?... checked against the
// document's parameters and the scenario's tables. Everything a client may get wrong is a 400 (or a
// 404 for an unknown table) with the reason; nothing here touches a socket.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "evsim/core/scenario.hpp"
#include "evsim/core/tzif.hpp"

namespace evsim::producers {

enum class WatchTimeFormat { s, ms, us, ns, text };  // text: timeformat=default, a local date-time

struct WatchRequest {
    std::size_t table = 0;  // index into the tables given to parse_watch_request
    WatchTimeFormat format = WatchTimeFormat::ns;
    tz::Zone zone = tz::Zone::fixed(0);
    std::chrono::milliseconds period{3000};
    std::chrono::milliseconds keep_alive{30000};  // 0: no keep-alive comments
    std::vector<std::string> tags;                // tag tables: the requested tags, each once, in order
    unsigned parallelism = 0;
    unsigned max_rows = 20;                       // log tables
};

struct WatchRefusal {
    unsigned status = 400;  // 400 or 404
    std::string reason;
};

// The hard limit of max-rows the document names; larger values are lowered to it.
constexpr unsigned watch_max_rows_limit = 100;

// Parses `target` ("/db/watch/example?tag=a&period=3s") against `tables` (names compared ignoring case).
std::variant<WatchRequest, WatchRefusal> parse_watch_request(std::string_view target,
                                                            const std::vector<scenario::WatchTable>& tables);

// TIME as `format` writes it: an integer count since the epoch, or for text "2024-10-16 18:29:24.5"
// in `zone` (Go's layout 2006-01-02 15:04:05.999: trailing zeros of the fraction dropped).
std::string format_watch_time(std::int64_t unix_nanos, WatchTimeFormat format, const tz::Zone& zone);

}  // namespace evsim::producers
