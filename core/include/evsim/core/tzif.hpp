// Time zones from the system's TZif files (RFC 8536), for printing local times in a named zone
// ("Asia/Seoul") without the C library's process-wide TZ state. The files are read as untrusted
// input: every count and offset is checked against the bytes present.
//
// Limitation: after a zone's last listed transition the last offset stays in force; the footer's
// POSIX TZ rule (which "slim" files use for future daylight-saving changes) is not applied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evsim::tz {

class Zone {
public:
    // A fixed offset (UTC: 0).
    static Zone fixed(std::int32_t utc_offset_seconds);
    // Seconds east of UTC at `unix_seconds`.
    std::int32_t offset_at(std::int64_t unix_seconds) const noexcept;

private:
    friend std::optional<Zone> parse_tzif(std::string_view bytes);
    std::vector<std::int64_t> transitions_;  // ascending unix seconds
    std::vector<std::int32_t> offsets_;      // the offset in force from each transition
    std::int32_t initial_ = 0;               // before the first transition
};

// The zone in TZif `bytes`; nullopt when they are not a well-formed TZif file.
std::optional<Zone> parse_tzif(std::string_view bytes);

// The zone called `name`: "UTC", "Local" (the machine's: $TZ naming a zone, else /etc/localtime,
// else UTC) or an IANA name read from `zoneinfo_dir` ("Asia/Seoul"). Nullopt, with `error` set,
// for an unknown or unsafe name or an unreadable file.
std::optional<Zone> load_zone(std::string_view name, std::string& error,
                              const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

}  // namespace evsim::tz
