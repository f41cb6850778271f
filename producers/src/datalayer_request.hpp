// What a client of the ctrlx-datalayer dialect asks for, checked: a subscription created by POST
// /automation/api/v2/events (a JSON body with properties and nodes, as the controller's clients
// send it) or opened directly with GET /automation/api/v2/events?nodes=a,b&publishIntervalMs=N;
// and the RFC 7807 problem body that every refusal carries.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace evsim::producers {

struct SubscriptionRequest {
    std::string id;                  // chosen by the client; empty for a GET-opened subscription
    std::vector<std::string> nodes;  // addresses, each 1..512 bytes; unknown ones get error events
    std::chrono::milliseconds publish_interval{1000};
    std::chrono::milliseconds keepalive_interval{60000};
    std::chrono::milliseconds error_interval{10000};
};

// A refusal: the HTTP status, a short title and what exactly was wrong.
struct DatalayerProblem {
    unsigned status = 400;
    std::string title;
    std::string detail;
};

inline constexpr std::size_t kMaxSubscriptionNodes = 1000;

// The POST body: {"properties": {"id": ..., "publishInterval": ms, "keepaliveInterval": ms,
// "errorInterval": ms, ...}, "nodes": [...]}. Other properties (rules, sampling, queueing) are
// accepted and not emulated.
std::variant<SubscriptionRequest, DatalayerProblem> parse_subscription_body(std::string_view body);

// The query of GET /automation/api/v2/events: nodes (comma-separated, required), publishIntervalMs,
// keepaliveIntervalMs, errorIntervalMs.
std::variant<SubscriptionRequest, DatalayerProblem> parse_subscription_query(std::string_view target);

// A usable subscription id: 1..256 characters, letters, digits and - _ . ~ (it is a URL segment).
bool is_subscription_id(std::string_view id) noexcept;

// {"type":"about:blank","title":...,"status":...,"detail":...,"instance":...,"severity":"ERROR"}
std::string problem_json(const DatalayerProblem& problem, std::string_view instance);

}  // namespace evsim::producers
