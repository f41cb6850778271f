#include "evsim/producers/producer_set.hpp"

#include "evsim/producers/dialect_producers.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "evsim/net/tls.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/fetch_producer.hpp"
#include "evsim/producers/file_producer.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/http_server.hpp"
#include "evsim/producers/listener.hpp"
#include "evsim/producers/sse_producer.hpp"
#include "evsim/producers/random_seed.hpp"
#include "evsim/producers/ws_producer.hpp"

namespace evsim::producers {

using boost::asio::ip::tcp;

// One listener and the producers it routes to by path.
struct ProducerSet::Listening {
    struct Route {
        std::optional<std::string> path;  // absent: every path
        std::shared_ptr<HttpProducer> producer;
        bool below = false;  // also every path below `path` (the push module's /eventsource/a,b)
    };

    HandlerResult route(const Request& request) const {
        const auto path = target_path(request.target());
        const Route* fallback = nullptr;
        for (const auto& route : routes) {
            if (!route.path) {
                fallback = &route;
            } else if (*route.path == path ||
                       (route.below && path.size() > route.path->size() && path.starts_with(*route.path) &&
                        path[route.path->size()] == '/')) {
                return route.producer->handle(request);
            }
        }
        if (fallback) return fallback->producer->handle(request);
        return make_not_found(request);
    }

    std::vector<Route> routes;
    std::optional<HttpServer> server;
    std::shared_ptr<EmitterStats> stats = std::make_shared<EmitterStats>();
};

namespace {

std::shared_ptr<Producer> make_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                        const ProducerContext& context, const WsSessionOptions& ws) {
    if (spec.dialect != scenario::Dialect::none) return make_dialect_producer(io, spec, context);
    switch (spec.type) {
        case scenario::ProducerType::sse: return make_sse_producer(io, spec, context);
        case scenario::ProducerType::ws: return make_ws_producer(io, spec, context, ws);
        case scenario::ProducerType::fetch: return make_fetch_producer(io, spec, context);
        case scenario::ProducerType::file: return make_file_producer(io, spec, context);
    }
    throw std::invalid_argument("unknown producer type");
}

std::string url_of(const scenario::ProducerSpec& spec, const tcp::endpoint& endpoint) {
    const bool ws = spec.type == scenario::ProducerType::ws;
    const char* scheme = spec.tls ? (ws ? "wss" : "https") : (ws ? "ws" : "http");
    return std::string(scheme) + "://" + to_string(endpoint) + (spec.paths.empty() ? "" : spec.paths.front());
}

std::string file_url(const std::filesystem::path& path) {
    std::error_code ignored;
    const auto absolute = std::filesystem::absolute(path, ignored);
    return "file://" + (absolute.empty() ? path : absolute).string();
}

// The certificate for the scenario's TLS producers: given, from the scenario's files, or made now.
std::shared_ptr<boost::asio::ssl::context> tls_context(const scenario::Scenario& scenario,
                                                       std::shared_ptr<boost::asio::ssl::context> given,
                                                       bool& self_signed) {
    if (given) return given;
    if (scenario.tls) {
        try {
            return std::make_shared<boost::asio::ssl::context>(
                net::make_server_tls_context_from_files(scenario.tls->certificate, scenario.tls->key));
        } catch (const net::TlsError& e) {
            throw std::invalid_argument(std::string("tls: ") + e.what());
        }
    }
    self_signed = true;
    return std::make_shared<boost::asio::ssl::context>(
        net::make_server_tls_context(net::make_self_signed_certificate("localhost")));
}

}  // namespace

ProducerSet::ProducerSet(boost::asio::io_context& io, const scenario::Scenario& scenario, ProducerSetOptions options)
    : pool_(options.workers > 0 ? std::make_unique<IoPool>(io, options.workers) : nullptr),
      options_(std::move(options)),
      seed_(options_.seed.value_or(scenario.seed.value_or(random_seed()))) {
    if (scenario.producers.empty()) throw std::invalid_argument("the scenario has no producers");
    if (!options_.log) options_.log = null_log();
    const auto whole_ms = [](std::chrono::microseconds time) {
        return std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(time));
    };
    if (scenario.timeouts.header) options_.http.header_timeout = whole_ms(*scenario.timeouts.header);
    if (scenario.timeouts.idle) options_.ws.idle_timeout = whole_ms(*scenario.timeouts.idle);
    // Producers that share an address share a listener; port 0 always gets a listener of its own.
    std::map<std::pair<std::string, std::uint16_t>, std::shared_ptr<Listening>> shared;
    for (const auto& spec : scenario.producers) {
        ProducerContext context;
        // Per name, so adding or reordering producers leaves the others' values alone.
        context.seed = payload::field_seed(seed_, spec.name);
        context.http = options_.http;
        context.log = options_.log;
        context.clock = options_.clock;
        Entry entry;
        try {
            entry.producer = make_producer(io, spec, context, options_.ws);
        } catch (const std::invalid_argument& e) {  // SpecError and the file format's errors
            throw std::invalid_argument("producer '" + spec.name + "': " + e.what());
        }
        if (spec.type == scenario::ProducerType::file) {
            urls_.push_back({spec.name, spec.type, file_url(file_producer_path(spec))});
            producers_.push_back(std::move(entry));
            continue;
        }
        auto& listening = spec.port == 0 ? entry.listening : shared[{spec.host, spec.port}];
        if (!listening) {
            listening = std::make_shared<Listening>();
            listeners_.push_back(listening);
        }
        entry.listening = listening;
        const std::vector<std::optional<std::string>> paths =
            spec.paths.empty() ? std::vector<std::optional<std::string>>{std::nullopt}
                               : std::vector<std::optional<std::string>>(spec.paths.begin(), spec.paths.end());
        for (const auto& route : listening->routes) {
            const bool clash = std::any_of(paths.begin(), paths.end(), [&](const std::optional<std::string>& path) {
                return !route.path || !path || *route.path == *path;
            });
            if (clash) {
                throw std::invalid_argument("producer '" + spec.name + "': " + spec.host + ":" +
                                            std::to_string(spec.port) + " is already used by producer '" +
                                            route.producer->spec().name + "' with the same or no path");
            }
            if (route.producer->spec().tls != spec.tls) {  // one listener is either TLS or not
                throw std::invalid_argument("producer '" + spec.name + "': shares " + spec.host + ":" +
                                            std::to_string(spec.port) + " with producer '" +
                                            route.producer->spec().name + "', but only one of them uses TLS");
            }
        }
        for (const auto& path : paths) {
            listening->routes.push_back({path, std::static_pointer_cast<HttpProducer>(entry.producer),
                                         spec.dialect == scenario::Dialect::wakanda_push});
        }
        producers_.push_back(std::move(entry));
    }
    const bool any_tls = std::any_of(scenario.producers.begin(), scenario.producers.end(),
                                     [](const scenario::ProducerSpec& spec) { return spec.tls; });
    const auto tls = any_tls ? tls_context(scenario, options_.tls, self_signed_tls_) : nullptr;
    // Bind once every producer is built: a bad spec fails before any port is taken. A listener is
    // named after its first producer in log lines.
    for (const auto& listening : listeners_) {
        const auto& first = listening->routes.front().producer->spec();
        const tcp::endpoint endpoint(resolve_bind_address(first.host), first.port);
        auto context = std::make_shared<const HttpSessionContext>(HttpSessionContext{
            std::string(scenario::to_string(first.type)) + " " + first.name, options_.http,
            [weak = std::weak_ptr<Listening>(listening)](const Request& request) -> HandlerResult {
                if (auto self = weak.lock()) return self->route(request);
                return make_error_response(boost::beast::http::status::service_unavailable, "shutting down");
            },
            options_.log, ConnectionSet::create(io), listening->stats, first.tls ? tls : nullptr,
            pool_ ? io.get_executor() : boost::asio::any_io_executor()});
        listening->server.emplace(io, endpoint, std::move(context), pool_.get());
    }
    for (const auto& entry : producers_) {
        if (!entry.listening) continue;
        const auto& spec = entry.producer->spec();
        urls_.push_back({spec.name, spec.type, url_of(spec, entry.listening->server->endpoint())});
    }
    // Back to scenario order (FILE producers were added as they came).
    std::vector<ProducerUrl> ordered;
    for (const auto& spec : scenario.producers) {
        const auto it = std::find_if(urls_.begin(), urls_.end(), [&](const ProducerUrl& u) { return u.producer == spec.name; });
        ordered.push_back(*it);
    }
    urls_ = std::move(ordered);
}

ProducerSet::~ProducerSet() { stop(); }

void ProducerSet::start() {
    if (started_ || stopped_) return;
    // FILE producers first: their first write is the one start-up step that can still fail, and
    // then nothing is running yet.
    for (const auto& entry : producers_) {
        if (!entry.listening) entry.producer->start();
    }
    started_ = true;
    for (const auto& entry : producers_) {
        if (entry.listening) entry.producer->start();
    }
    for (const auto& listening : listeners_) listening->server->start();
}

void ProducerSet::stop() {
    if (stopped_) return;
    stopped_ = true;
    for (const auto& listening : listeners_) listening->server->stop(options_.shutdown_grace);
    for (const auto& entry : producers_) entry.producer->stop(options_.shutdown_grace);
}

Producer* ProducerSet::find(std::string_view name) const {
    for (const auto& entry : producers_) {
        if (entry.producer->spec().name == name) return entry.producer.get();
    }
    return nullptr;
}

std::vector<Producer*> ProducerSet::producers() const {
    std::vector<Producer*> all;
    for (const auto& entry : producers_) all.push_back(entry.producer.get());
    return all;
}

std::optional<tcp::endpoint> ProducerSet::endpoint(std::string_view name) const {
    for (const auto& entry : producers_) {
        if (entry.producer->spec().name == name && entry.listening) return entry.listening->server->endpoint();
    }
    return std::nullopt;
}

std::optional<std::filesystem::path> ProducerSet::file_path(std::string_view name) const {
    for (const auto& entry : producers_) {
        if (entry.producer->spec().name == name && !entry.listening) return file_producer_path(entry.producer->spec());
    }
    return std::nullopt;
}

StatsSnapshot ProducerSet::totals() const {
    StatsSnapshot total;
    for (const auto& entry : producers_) total += entry.producer->stats();
    for (const auto& listening : listeners_) total += snapshot(*listening->stats);
    return total;
}

}  // namespace evsim::producers
