#include "control_client.hpp"

#include "evsim/net/http_exchange.hpp"

namespace evsim::app {

ControlAnswer control_request(const net::Endpoint& base, const std::string& method, const std::string& target,
                              const std::string& json_body, std::chrono::milliseconds timeout) {
    net::HttpQuestion question;
    question.method = method;
    question.target = target;
    question.user_agent = "evsim publish";
    if (!json_body.empty()) {
        question.headers.emplace_back("Content-Type", "application/json");
        question.body = json_body;
    }
    try {
        auto answer = net::http_exchange(base, question, timeout);
        return {answer.status, std::move(answer.body)};
    } catch (const net::HttpExchangeError& e) {
        const std::string where = base.scheme + "://" + base.host_header();  // as the user wrote it, without a path
        throw ControlUnreachable("cannot " + e.stage() + " the control API at " + where + ": " + e.reason());
    }
}

}  // namespace evsim::app
