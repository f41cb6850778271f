// The browsers' connection limit: at most six HTTP/1.1 connections per host (scheme, host and port)
// for the whole browser, every tab included (docs/lint.md cites the sources). An EventSource holds
// one for as long as it is open; WebSockets are not counted against it.
#include <map>
#include <tuple>

#include "lint_parts.hpp"

namespace evsim::conformance::detail {

namespace {

constexpr std::size_t connections_per_host = 6;

std::string origin_of(const net::Endpoint& endpoint) {
    return endpoint.scheme + "://" + endpoint.host_header();
}

std::string entry_list(const std::vector<const NetworkSource*>& sources) {
    std::string list;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        list += (i == 0 ? "" : i + 1 == sources.size() ? " and " : ", ") + std::to_string(sources[i]->entry);
    }
    return list;
}

}  // namespace

std::vector<Finding> check_connection_limit(const std::vector<NetworkSource>& sources) {
    struct Host {
        std::vector<const NetworkSource*> streams;  // SSE
        std::vector<const NetworkSource*> polls;    // FETCH
    };
    std::map<std::tuple<std::string, std::string, std::uint16_t>, Host> hosts;
    for (const auto& source : sources) {
        if (source.type == scenario::ProducerType::ws) continue;
        auto& host = hosts[{source.endpoint.scheme, source.endpoint.host, source.endpoint.port}];
        (source.type == scenario::ProducerType::sse ? host.streams : host.polls).push_back(&source);
    }
    std::vector<Finding> findings;
    for (const auto& [key, host] : hosts) {
        if (host.streams.size() < connections_per_host) continue;
        const auto& origin = origin_of(host.streams.front()->endpoint);
        // Over https the browser and server may agree on HTTP/2, which multiplexes every stream over
        // one connection; only the server can say, so it is a warning there.
        const bool http1 = host.streams.front()->endpoint.scheme == "http";
        const Severity severity = http1 ? Severity::error : Severity::warning;
        const std::string unless = http1 ? "" : " (unless the server speaks HTTP/2)";
        if (host.streams.size() > connections_per_host) {
            const auto& seventh = *host.streams[connections_per_host];
            std::vector<const NetworkSource*> blocked(host.streams.begin() + connections_per_host, host.streams.end());
            findings.push_back({severity, "connection-limit", seventh.entry, seventh.where,
                                std::to_string(host.streams.size()) + " EventSources to " + origin +
                                    ": browsers open at most 6 HTTP/1.1 connections per host" + unless +
                                    ", so entr" + (blocked.size() == 1 ? "y " : "ies ") + entry_list(blocked) +
                                    " never connect" + (blocked.size() == 1 ? "s" : "") +
                                    "; serve them over HTTP/2, from another host name, or merge them into one "
                                    "stream with several event names"});
        }
        if (!host.polls.empty()) {
            const auto& first = *host.polls.front();
            findings.push_back({severity, "connection-limit", first.entry, first.where,
                                "FETCH entr" + std::string(host.polls.size() == 1 ? "y " : "ies ") +
                                    entry_list(host.polls) + " poll " + origin + ", whose " +
                                    std::to_string(connections_per_host) + " connections are all held by "
                                    "EventSources" + unless + ": the requests wait forever"});
        }
    }
    return findings;
}

}  // namespace evsim::conformance::detail
