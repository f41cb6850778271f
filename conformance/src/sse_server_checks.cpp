// The SSE server checks. Expectations come from the WHATWG HTML standard's text (9.2 Server-sent
// events); the stream is parsed with evsim's core parser only to count events and find the retry
// field, never to decide what a conforming stream is.
#include <algorithm>

#include "evsim/conformance/server_checks.hpp"
#include "cors_parts.hpp"
#include "evsim/core/sse_parser.hpp"
#include "sse_resume.hpp"
#include "evsim/core/utf8.hpp"
#include "check_parts.hpp"
#include "stream_capture.hpp"

namespace evsim::conformance {

namespace {

using detail::Capture;
using detail::lower;
using detail::make_result;
using detail::milliseconds_text;
using namespace std::chrono_literals;


struct Observed : sse::ParserHandler {
    void on_event(const sse::Event&) override { ++events; }
    void on_retry(std::uint64_t milliseconds) override { retries.push_back(milliseconds); }
    std::size_t events = 0;
    std::vector<std::uint64_t> retries;
};

// When the first byte of the first event arrived (the first piece that is not only comments or
// blank lines is close enough for the flush check).
std::optional<std::chrono::microseconds> first_data_at(const Capture& capture) {
    for (const auto& piece : capture.body) {
        if (piece.bytes.find("data") != std::string::npos) return piece.at;
    }
    return std::nullopt;
}

std::chrono::microseconds longest_silence(const Capture& capture, std::chrono::microseconds observed_until) {
    std::chrono::microseconds last = capture.head_after;
    std::chrono::microseconds longest{0};
    for (const auto& piece : capture.body) {
        longest = std::max(longest, piece.at - last);
        last = piece.at;
    }
    if (capture.end == Capture::End::observed) longest = std::max(longest, observed_until - last);
    return longest;
}

}  // namespace

std::vector<CheckResult> check_sse_server(const std::string& url, const ServerCheckOptions& options) {
    detail::CaptureRequest request;
    request.endpoint = net::parse_url(url);
    request.headers = {{"Accept", "text/event-stream"}, {"Cache-Control", "no-cache"}, {"Origin", options.origin}};
    request.headers.insert(request.headers.end(), options.headers.begin(), options.headers.end());
    request.observe = options.observe;
    request.timeout = options.timeout;
    request.tls = options.tls;
    // Redirects are followed, as EventSource's fetch follows them (at most Fetch's 20).
    detail::RedirectTrail trail;
    const Capture capture = detail::follow_redirects(detail::capture_stream(request), request.endpoint, request.headers,
                                                     trail, [&] { return detail::capture_stream(request); });

    std::vector<CheckResult> results;
    const std::string processing = "WHATWG HTML 9.2.3 (EventSource: the response)";
    if (auto redirect = detail::redirect_result("sse", trail, capture.status)) results.push_back(std::move(*redirect));
    results.push_back(make_result("sse.status", "the answer is 200 OK", processing, Level::must, capture.status == 200,
                             "200", std::to_string(capture.status)));
    const std::string* type = capture.header("Content-Type");
    const std::string trimmed = type ? detail::media_type(*type) : std::string();
    results.push_back(make_result("sse.content-type", "Content-Type is text/event-stream", processing, Level::must,
                             trimmed == "text/event-stream", "text/event-stream",
                             type ? *type : std::string("no Content-Type")));
    if (capture.status != 200) return results;  // a browser reads no further

    const std::string body = capture.body_bytes();
    const std::string parsing = "WHATWG HTML 9.2.5 (parsing an event stream: UTF-8)";
    results.push_back(make_result("sse.utf8", "the stream is UTF-8", parsing, Level::must, utf8::is_valid(body),
                             "valid UTF-8", utf8::is_valid(body) ? "valid UTF-8" : "invalid UTF-8 sequences"));
    Observed observed;
    sse::Parser parser(observed);
    const auto parse_error = parser.feed(body);
    results.push_back(make_result("sse.parse", "the stream parses within sane limits", "WHATWG HTML 9.2.6 (interpreting)",
                             Level::must, parse_error == sse::ParseError::none, "no line over 1 MiB, no event over 16 MiB",
                             parse_error == sse::ParseError::none ? "parsed" : std::string(sse::to_string(parse_error))));
    results.push_back(make_result("sse.events", "events arrived while observed", "WHATWG HTML 9.2.6 (dispatching)",
                             Level::info, observed.events > 0, "at least one event",
                             std::to_string(observed.events) + " events in " + milliseconds_text(options.observe)));

    const std::string* cache = capture.header("Cache-Control");
    const std::string cache_value = cache ? lower(*cache) : std::string();
    results.push_back(make_result("sse.cache", "Cache-Control forbids caching the stream",
                             "WHATWG HTML 9.2.7 (authoring notes: caching)", Level::should,
                             cache_value.find("no-cache") != std::string::npos ||
                                 cache_value.find("no-store") != std::string::npos,
                             "no-cache or no-store", cache ? *cache : std::string("no Cache-Control")));
    // A server that buffers its head until the first event makes the browser wait for `open`, and
    // proxies wait with it: the head should come at once.
    const auto first_data = first_data_at(capture);
    const bool buffered = first_data && capture.head_after > 1s && *first_data - capture.head_after < 5ms;
    results.push_back(make_result("sse.flush", "the response head is sent before the first event",
                             "WHATWG HTML 9.2.7 (authoring notes)", Level::should, !buffered,
                             "the head at once, events after it",
                             "head after " + milliseconds_text(capture.head_after) +
                                 (first_data ? ", first event after " + milliseconds_text(*first_data) : std::string(", no event"))));
    const bool retry_sane = std::all_of(observed.retries.begin(), observed.retries.end(),
                                        [](std::uint64_t v) { return v >= 100 && v <= 3'600'000; });
    std::string retries;
    for (const auto v : observed.retries) retries += (retries.empty() ? "" : ", ") + std::to_string(v) + " ms";
    results.push_back(make_result("sse.retry", "retry fields ask for a sane reconnection time",
                             "WHATWG HTML 9.2.6 (the retry field)", Level::should, retry_sane, "100 ms to 1 h",
                             retries.empty() ? "no retry field" : retries));
    const auto observed_until = std::chrono::duration_cast<std::chrono::microseconds>(options.observe);
    const auto silence = longest_silence(capture, observed_until);
    const auto limit = std::chrono::duration_cast<std::chrono::microseconds>(options.keepalive);
    const std::string limit_text = options.keepalive.count() % 1000 == 0
                                       ? std::to_string(options.keepalive.count() / 1000) + " s"
                                       : std::to_string(options.keepalive.count()) + " ms";
    results.push_back(make_result("sse.keepalive", "never silent for more than " + limit_text,
                             "WHATWG HTML 9.2.7 (authoring notes: a comment every 15 s)", Level::should,
                             silence <= limit, "a comment or event at least every " + limit_text,
                             "longest silence " + milliseconds_text(silence) +
                                 (options.observe <= options.keepalive ? " (observe longer than " + limit_text + " to judge)"
                                                                       : "")));
    const std::string* allow = capture.header("Access-Control-Allow-Origin");
    results.push_back(make_result("sse.cors", "a cross-origin page may read the stream",
                             "WHATWG Fetch (CORS check)", Level::info,
                             allow && (*allow == "*" || *allow == options.origin),
                             "Access-Control-Allow-Origin: * or " + options.origin,
                             allow ? "Access-Control-Allow-Origin: " + *allow : "no Access-Control-Allow-Origin"));
    results.push_back(detail::credentials_result("sse", "an EventSource with withCredentials: true", capture.headers,
                                                 options.origin));
    try {
        results.push_back(detail::preflight_result("sse", request.endpoint, "authorization, last-event-id", options));
    } catch (const std::exception& e) {  // HttpExchangeError
        results.push_back(make_result("sse.preflight", "a preflight for a stream with headers is answered",
                                      "Fetch Standard (CORS-preflight fetch)", Level::info, false, "an answer",
                                      std::string("no answer: ") + e.what()));
    }
    // An ended stream is legal (EventSource reconnects after its retry time) but worth knowing: a
    // server that ends every stream soon makes clients reconnect over and over.
    const auto ended_after = [&] {
        return capture.body.empty() ? std::string() : " after " + milliseconds_text(capture.body.back().at);
    };
    if (capture.end == Capture::End::error)
        results.push_back(make_result("sse.connection", "the stream stays open while observed", processing, Level::info,
                                 false, "open", "ended: " + capture.error));
    else if (capture.end == Capture::End::closed)
        results.push_back(make_result("sse.connection", "the stream stays open while observed", processing, Level::info,
                                 false, "open", "the server closed it" + ended_after() + " (EventSource reconnects)"));
    results.push_back(detail::resume_result(request, capture));
    return results;
}

}  // namespace evsim::conformance
