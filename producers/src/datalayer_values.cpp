#include "datalayer_values.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <charconv>
#include <cmath>
#include <limits>

namespace evsim::producers {

namespace {

using scenario::DatalayerType;

// FILETIME of the Unix epoch: the 11644473600 seconds from 1601 to 1970, in 100 ns ticks.
constexpr std::int64_t kUnixEpochTicks = 116'444'736'000'000'000;

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
    return text;
}

std::optional<double> number(std::string_view text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

template <class T>
std::string whole_of(double value) {
    // Compared as doubles, then printed from T's own limits: int64's and uint64's maxima are not
    // doubles, and casting the nearest double would overflow.
    const double rounded = std::round(value);
    if (rounded <= static_cast<double>(std::numeric_limits<T>::min())) return std::to_string(std::numeric_limits<T>::min());
    if (rounded >= static_cast<double>(std::numeric_limits<T>::max())) return std::to_string(std::numeric_limits<T>::max());
    return std::to_string(static_cast<T>(rounded));
}

}  // namespace

std::int64_t filetime(std::chrono::system_clock::time_point time) noexcept {
    const auto ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count() / 100;
    return kUnixEpochTicks + ticks;
}

std::optional<std::string> datalayer_value_json(DatalayerType type, std::string_view text) {
    if (type == DatalayerType::string) return boost::json::serialize(boost::json::string(text));
    text = trimmed(text);
    const auto value = number(text);
    if (!value) return std::nullopt;
    switch (type) {
        case DatalayerType::bool8: return std::string(*value != 0 ? "true" : "false");
        case DatalayerType::int8: return whole_of<std::int8_t>(*value);
        case DatalayerType::uint8: return whole_of<std::uint8_t>(*value);
        case DatalayerType::int16: return whole_of<std::int16_t>(*value);
        case DatalayerType::uint16: return whole_of<std::uint16_t>(*value);
        case DatalayerType::int32: return whole_of<std::int32_t>(*value);
        case DatalayerType::uint32: return whole_of<std::uint32_t>(*value);
        case DatalayerType::int64: return whole_of<std::int64_t>(*value);
        case DatalayerType::uint64: return whole_of<std::uint64_t>(*value);
        case DatalayerType::float32:
        case DatalayerType::float64: {
            // The text itself when it is a JSON number already (a generator's "43.00" keeps its digits).
            boost::system::error_code error;
            const auto parsed = boost::json::parse(text, error);
            if (!error && parsed.is_number()) return std::string(text);
            char buffer[32];
            const auto [end, ignored] = std::to_chars(buffer, buffer + sizeof buffer, *value);
            (void)ignored;
            return std::string(buffer, end);
        }
        case DatalayerType::string: break;
    }
    return std::nullopt;
}

}  // namespace evsim::producers
