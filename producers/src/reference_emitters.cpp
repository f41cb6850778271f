#include "evsim/producers/reference_emitters.hpp"

#include <stdexcept>
#include <utility>

namespace evsim::producers {

using boost::asio::ip::tcp;

namespace {

void check_path(const char* emitter, const std::optional<std::string>& path) {
    if (path && (path->empty() || path->front() != '/')) {
        throw std::invalid_argument(std::string(emitter) + " path '" + *path + "' must start with '/'");
    }
}

void check_options(const ReferenceOptions& options) {
    if (!options.fetch.enabled && !options.sse.enabled && !options.ws.enabled && !options.file.enabled) {
        throw std::invalid_argument("every emitter is disabled: nothing to serve");
    }
    if (options.interval.count() <= 0) throw std::invalid_argument("interval must be greater than zero");
    if (options.http.header_limit == 0) throw std::invalid_argument("header limit must be greater than zero");
    if (options.http.header_timeout.count() <= 0) {
        throw std::invalid_argument("header timeout must be greater than zero");
    }
    if (options.queue_capacity == 0) throw std::invalid_argument("queue capacity must be at least 1");
    check_path("fetch", options.fetch.path);
    check_path("sse", options.sse.path);
    check_path("ws", options.ws.path);
}

scenario::ProducerSpec http_producer(std::string name, scenario::ProducerType type, const ReferenceOptions& options,
                                     std::uint16_t port, const std::optional<std::string>& path) {
    scenario::ProducerSpec spec;
    spec.name = std::move(name);
    spec.type = type;
    spec.host = options.host;
    spec.port = port;
    if (path) spec.paths = {*path};
    spec.cadence = cadence::FixedInterval{options.interval};
    spec.queue.max_messages = options.queue_capacity;
    spec.tls = options.tls;
    return spec;  // payload: random_int 10..98, the samples' random.randrange(10, 99)
}

ProducerSetOptions set_options(const ReferenceOptions& options) {
    ProducerSetOptions set;
    set.seed = options.seed;
    set.http = options.http;
    set.ws = options.ws.session;
    set.shutdown_grace = options.shutdown_grace;
    set.log = options.log ? options.log : null_log();
    set.tls = options.tls_context;
    set.workers = options.workers;
    return set;
}

const ReferenceOptions& checked(const ReferenceOptions& options) {
    check_options(options);
    return options;
}

}  // namespace

scenario::Scenario reference_scenario(const ReferenceOptions& options) {
    scenario::Scenario scenario;
    scenario.source = "reference emitters";
    using scenario::ProducerType;
    if (options.fetch.enabled) {
        auto fetch = http_producer("fetch", ProducerType::fetch, options, options.fetch.port, options.fetch.path);
        fetch.fetch.mode = scenario::FetchMode::per_request;
        scenario.producers.push_back(std::move(fetch));
    }
    if (options.sse.enabled) {
        auto sse = http_producer("sse", ProducerType::sse, options, options.sse.port, options.sse.path);
        sse.events = {options.sse.event};
        scenario.producers.push_back(std::move(sse));
    }
    if (options.ws.enabled) {
        scenario.producers.push_back(http_producer("ws", ProducerType::ws, options, options.ws.port, options.ws.path));
    }
    if (options.file.enabled) {
        scenario::ProducerSpec file;
        file.name = "file";
        file.type = ProducerType::file;
        file.events = {options.file.event};
        file.cadence = cadence::FixedInterval{options.interval};
        file.file.path = options.file.path.string();
        scenario.producers.push_back(std::move(file));
    }
    return scenario;
}

ReferenceEmitters::ReferenceEmitters(boost::asio::io_context& io, ReferenceOptions options)
    : set_(io, reference_scenario(checked(options)), set_options(options)) {}

ReferenceEmitters::~ReferenceEmitters() = default;

void ReferenceEmitters::start() { set_.start(); }

void ReferenceEmitters::stop() { set_.stop(); }

std::optional<tcp::endpoint> ReferenceEmitters::fetch_endpoint() const { return set_.endpoint("fetch"); }

std::optional<tcp::endpoint> ReferenceEmitters::sse_endpoint() const { return set_.endpoint("sse"); }

std::optional<tcp::endpoint> ReferenceEmitters::ws_endpoint() const { return set_.endpoint("ws"); }

std::optional<std::filesystem::path> ReferenceEmitters::file_path() const { return set_.file_path("file"); }

std::vector<EmitterUrl> ReferenceEmitters::urls() const {
    std::vector<EmitterUrl> result;
    for (const auto& url : set_.urls()) {
        const auto kind = url.type == scenario::ProducerType::fetch ? EmitterUrl::Kind::fetch
                          : url.type == scenario::ProducerType::sse ? EmitterUrl::Kind::sse
                          : url.type == scenario::ProducerType::ws  ? EmitterUrl::Kind::ws
                                                                     : EmitterUrl::Kind::file;
        result.push_back({kind, url.url});
    }
    return result;
}

std::size_t ReferenceEmitters::sse_clients() const {
    const auto* producer = set_.find("sse");
    return producer ? producer->clients() : 0;
}

std::size_t ReferenceEmitters::ws_clients() const {
    const auto* producer = set_.find("ws");
    return producer ? producer->clients() : 0;
}

}  // namespace evsim::producers
