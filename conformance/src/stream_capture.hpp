// What a server sends to one GET, recorded with timings for the server checks: the response head
// and when it came, then the body's pieces as they arrive, for a bounded observation time and size.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "evsim/net/http_exchange.hpp"
#include "evsim/net/url.hpp"

namespace evsim::conformance::detail {

struct CaptureRequest {
    net::Endpoint endpoint;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds observe{3000};   // how long to read the body
    std::chrono::milliseconds timeout{10000};  // connect, TLS and the response head
    std::size_t max_body_bytes = 1U << 20U;
    net::ClientTlsOptions tls;
};

struct Capture {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::microseconds head_after{0};  // from the request sent to the head read
    struct Piece {
        std::chrono::microseconds at;  // from the request sent
        std::string bytes;
    };
    std::vector<Piece> body;
    enum class End { observed, closed, limit, error } end = End::observed;
    std::string error;  // for End::error

    const std::string* header(std::string_view name) const;
    std::string body_bytes() const;
};

// Throws net::HttpExchangeError when no response head arrives (connect, TLS, timeout); failures
// while reading the body end the capture (End::error) instead.
Capture capture_stream(const CaptureRequest& request);

}  // namespace evsim::conformance::detail
