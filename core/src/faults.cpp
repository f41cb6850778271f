#include "evsim/core/faults.hpp"

#include <algorithm>

#include "evsim/core/rng.hpp"

namespace evsim::faults {

std::string_view to_string(Kind kind) noexcept {
    switch (kind) {
        case Kind::close: return "close";
        case Kind::reset: return "reset";
        case Kind::stall: return "stall";
        case Kind::drip: return "drip";
        case Kind::split: return "split";
        case Kind::malformed: return "malformed";
        case Kind::status: return "status";
        case Kind::redirect: return "redirect";
        case Kind::content_type: return "content_type";
        case Kind::torn_write: return "torn_write";
    }
    return "unknown";
}

std::optional<Kind> parse_kind(std::string_view text) noexcept {
    for (const Kind kind : {Kind::close, Kind::reset, Kind::stall, Kind::drip, Kind::split, Kind::malformed,
                            Kind::status, Kind::redirect, Kind::content_type, Kind::torn_write}) {
        if (to_string(kind) == text) return kind;
    }
    return std::nullopt;
}

bool is_stream_fault(Kind kind) noexcept {
    return kind == Kind::close || kind == Kind::reset || kind == Kind::stall || kind == Kind::drip ||
           kind == Kind::split || kind == Kind::malformed;
}

bool is_request_fault(Kind kind) noexcept {
    return kind == Kind::status || kind == Kind::redirect || kind == Kind::content_type;
}

namespace {

[[noreturn]] void fail(const FaultSpec& fault, const std::string& message) {
    throw SpecError(std::string(to_string(fault.kind)) + ": " + message);
}

void check_trigger(const FaultSpec& fault) {
    const auto& t = fault.trigger;
    const int set = (t.after ? 1 : 0) + (t.every ? 1 : 0) + (t.at ? 1 : 0) + (t.probability ? 1 : 0);
    if (set != 1) fail(fault, "needs exactly one trigger: after, every, at or probability");
    if ((t.after && *t.after == 0) || (t.every && *t.every == 0)) fail(fault, "after/every count from 1");
    if (t.at && t.at->count() < 0) fail(fault, "at must not be negative");
    if (t.probability && !(*t.probability > 0 && *t.probability <= 1)) fail(fault, "probability must be in (0, 1]");
}

}  // namespace

void validate(const FaultSpec& fault, std::string_view producer_type) {
    check_trigger(fault);
    const bool streaming = producer_type == "sse" || producer_type == "ws";
    if (is_stream_fault(fault.kind) && !streaming)
        fail(fault, "acts on streaming connections; " + std::string(producer_type) + " producers have none");
    if (is_request_fault(fault.kind) && producer_type == "file")
        fail(fault, "acts on requests; file producers answer none");
    if (fault.kind == Kind::torn_write && producer_type != "file") fail(fault, "only for file producers");
    if (fault.kind == Kind::malformed && fault.bytes.size() > 64 * 1024) fail(fault, "bytes: at most 65536");
    if (fault.kind == Kind::content_type && producer_type == "ws")
        fail(fault, "a WebSocket upgrade has no content type; use status or redirect");
    switch (fault.kind) {
        case Kind::stall:
        case Kind::torn_write:
            if (fault.duration.count() <= 0) fail(fault, "duration must be longer than 0");
            break;
        case Kind::drip:
            if (fault.duration.count() <= 0) fail(fault, "duration must be longer than 0");
            if (fault.gap.count() <= 0) fail(fault, "gap must be longer than 0");
            if (fault.chunk == 0 || fault.chunk > 64 * 1024) fail(fault, "chunk must be 1..65536 bytes");
            break;
        case Kind::split:
            if (fault.at_bytes.empty()) fail(fault, "at_bytes needs at least one position");
            if (fault.at_bytes.size() > 1000) fail(fault, "at_bytes: at most 1000 positions");
            if (fault.at_bytes.front() == 0 || !std::is_sorted(fault.at_bytes.begin(), fault.at_bytes.end()) ||
                std::adjacent_find(fault.at_bytes.begin(), fault.at_bytes.end()) != fault.at_bytes.end())
                fail(fault, "at_bytes must be ascending positions from 1");
            if (fault.gap.count() < 0) fail(fault, "gap must not be negative");
            break;
        case Kind::status:
            if (fault.status < 200 || fault.status > 599 || (fault.status >= 300 && fault.status < 400))
                fail(fault, "status must be 200..299 or 400..599 (got " + std::to_string(fault.status) +
                                "); use redirect for 3xx");
            break;
        case Kind::redirect:
            if (fault.status != 301 && fault.status != 302 && fault.status != 303 && fault.status != 307 &&
                fault.status != 308)
                fail(fault, "status must be 301, 302, 303, 307 or 308 (got " + std::to_string(fault.status) + ")");
            if (fault.location.empty() || fault.location.find_first_of("\r\n") != std::string::npos)
                fail(fault, "location must be a URL without line breaks");
            break;
        case Kind::content_type:
            if (fault.content_type.empty() || fault.content_type.find_first_of("\r\n") != std::string::npos)
                fail(fault, "content_type must be a media type without line breaks");
            break;
        case Kind::close:
            if (fault.close_code < 1000 || fault.close_code > 4999 || fault.close_code == 1005 ||
                fault.close_code == 1006 || fault.close_code == 1015)
                fail(fault, "close_code must be a code a server may send: 1000..4999 except 1005, 1006 and 1015");
            break;
        case Kind::reset:
        case Kind::malformed:
            break;
    }
}

std::string default_malformed_sse() {
    using namespace std::string_view_literals;
    std::string out;
    out += "data: \xff\xfe invalid UTF-8\n"sv;  // decoded with two U+FFFD, not dropped
    out += "event: bare\rcarriage\n"sv;          // a lone CR ends the line: type "bare", then a field "carriage"
    out += "retry: soon\n"sv;                    // not digits: ignored
    out += "id: nul\0inside\n"sv;                // an id with NUL is ignored
    out += "no colon at all\n"sv;                // a field named "no colon at all": ignored
    out += "\n"sv;                               // dispatches one event of type "bare"
    return out;
}

std::string default_malformed_ws() { return "bad \xc3\x28 text"; }

FaultClock::FaultClock(const Trigger& trigger, std::uint64_t seed) : trigger_(trigger), engine_(seed) {}

bool FaultClock::fire() {
    if (trigger_.times != 0 && fired_ >= trigger_.times) return false;
    ++fired_;
    return true;
}

bool FaultClock::count() {
    ++counted_;
    if (trigger_.after) return counted_ == *trigger_.after && fire();
    if (trigger_.every) return counted_ % *trigger_.every == 0 && fire();
    if (trigger_.probability) return rng::unit_interval(engine_) < *trigger_.probability && fire();
    return false;
}

bool FaultClock::due(std::chrono::microseconds elapsed) {
    if (!trigger_.at || fired_ > 0 || elapsed < *trigger_.at) return false;
    return fire();
}

}  // namespace evsim::faults
