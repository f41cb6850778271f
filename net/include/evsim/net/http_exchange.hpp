// One blocking HTTP/1.1 exchange (plain or TLS), every step bounded by a timeout, for the commands
// that ask a server one question: `evsim publish` (the control API) and `evsim lint --probe` (what a
// dashboard's source answers to a CORS request). Not for load: the load generator and the
// EventSource client have their own asynchronous clients.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evsim/net/tls.hpp"
#include "evsim/net/url.hpp"

namespace evsim::net {

struct HttpQuestion {
    std::string method = "GET";
    std::string target;  // empty: the endpoint's own
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string user_agent = "evsim";
    ClientTlsOptions tls;  // for https
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The first header named `name` (case-insensitive, as HTTP field names are), or nullptr.
const std::string* find_header(const HeaderList& headers, std::string_view name);

struct HttpAnswer {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
    std::string body;

    const std::string* header(std::string_view name) const { return find_header(headers, name); }
};

// The exchange failed: `stage` says where ("resolve", "connect to", "handshake with", "send to",
// "read an answer from") and `reason` why ("Connection refused", "no answer within 5000 ms").
class HttpExchangeError : public std::runtime_error {
public:
    HttpExchangeError(std::string stage, std::string reason)
        : std::runtime_error(stage + ": " + reason), stage_(std::move(stage)), reason_(std::move(reason)) {}
    const std::string& stage() const noexcept { return stage_; }
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string stage_;
    std::string reason_;
};

// Asks `question` of `server` (http or https; the connection is closed after the answer) and
// returns the answer, whatever its status. Answers are read up to 1 MiB of body. Throws
// HttpExchangeError.
HttpAnswer http_exchange(const Endpoint& server, const HttpQuestion& question, std::chrono::milliseconds timeout);

}  // namespace evsim::net
