#include "evsim/producers/reference_emitters.hpp"

#include <stdexcept>
#include <utility>

#include "evsim/producers/value_source.hpp"

namespace evsim::producers {

using boost::asio::ip::tcp;

namespace {

// Seed streams: fixed per emitter so `--seed N` gives each emitter the same values whatever else
// is enabled.
enum SeedStream : std::uint64_t { fetch_stream = 1, sse_stream = 2, ws_stream = 3, file_stream = 4 };

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
    if (options.sse.queue_capacity == 0 || options.ws.session.queue_capacity == 0) {
        throw std::invalid_argument("queue capacity must be at least 1");
    }
    check_path("fetch", options.fetch.path);
    check_path("sse", options.sse.path);
    check_path("ws", options.ws.path);
}

std::string http_url(const char* scheme, const tcp::endpoint& endpoint, const std::optional<std::string>& path) {
    return std::string(scheme) + "://" + to_string(endpoint) + path.value_or("");
}

}  // namespace

ReferenceEmitters::ReferenceEmitters(boost::asio::io_context& io, ReferenceOptions options)
    : options_(std::move(options)), stats_(std::make_shared<EmitterStats>()) {
    check_options(options_);
    if (!options_.log) options_.log = null_log();
    const std::uint64_t seed = options_.seed.value_or(random_seed());
    const auto context_for = [&](SeedStream stream) {
        return EmitterContext{options_.interval, derive_seed(seed, stream), options_.http, options_.log, stats_};
    };

    if (options_.fetch.enabled || options_.sse.enabled || options_.ws.enabled) {
        const auto address = resolve_bind_address(options_.host);
        // Members are assigned in order: if a later bind throws, the earlier emitters are
        // destroyed (and their ports released) with this half-built object.
        if (options_.fetch.enabled) {
            fetch_ = std::make_unique<FetchEmitter>(io, tcp::endpoint(address, options_.fetch.port), options_.fetch,
                                                    context_for(fetch_stream));
        }
        if (options_.sse.enabled) {
            sse_ = std::make_unique<SseEmitter>(io, tcp::endpoint(address, options_.sse.port), options_.sse,
                                                context_for(sse_stream));
        }
        if (options_.ws.enabled) {
            ws_ = std::make_unique<WsEmitter>(io, tcp::endpoint(address, options_.ws.port), options_.ws,
                                              context_for(ws_stream));
        }
    }
    if (options_.file.enabled) file_ = std::make_unique<FileEmitter>(io, options_.file, context_for(file_stream));
}

ReferenceEmitters::~ReferenceEmitters() { stop(); }

void ReferenceEmitters::start() {
    if (started_ || stopped_) return;
    // The file first: it is the one start-up step that can still fail, and then nothing is running.
    if (file_) file_->start();
    started_ = true;
    if (fetch_) fetch_->start();
    if (sse_) sse_->start();
    if (ws_) ws_->start();
}

void ReferenceEmitters::stop() {
    if (stopped_) return;
    stopped_ = true;
    if (fetch_) fetch_->stop(options_.shutdown_grace);
    if (sse_) sse_->stop(options_.shutdown_grace);
    if (ws_) ws_->stop(options_.shutdown_grace);
    if (file_) file_->stop();
}

std::optional<tcp::endpoint> ReferenceEmitters::fetch_endpoint() const {
    return fetch_ ? std::optional(fetch_->endpoint()) : std::nullopt;
}

std::optional<tcp::endpoint> ReferenceEmitters::sse_endpoint() const {
    return sse_ ? std::optional(sse_->endpoint()) : std::nullopt;
}

std::optional<tcp::endpoint> ReferenceEmitters::ws_endpoint() const {
    return ws_ ? std::optional(ws_->endpoint()) : std::nullopt;
}

std::optional<std::filesystem::path> ReferenceEmitters::file_path() const {
    return file_ ? std::optional(file_->path()) : std::nullopt;
}

std::vector<EmitterUrl> ReferenceEmitters::urls() const {
    std::vector<EmitterUrl> result;
    if (fetch_) result.push_back({EmitterUrl::Kind::fetch, http_url("http", fetch_->endpoint(), options_.fetch.path)});
    if (sse_) result.push_back({EmitterUrl::Kind::sse, http_url("http", sse_->endpoint(), options_.sse.path)});
    if (ws_) result.push_back({EmitterUrl::Kind::ws, http_url("ws", ws_->endpoint(), options_.ws.path)});
    if (file_) {
        std::error_code ignored;
        const auto absolute = std::filesystem::absolute(file_->path(), ignored);
        result.push_back({EmitterUrl::Kind::file, "file://" + (absolute.empty() ? file_->path() : absolute).string()});
    }
    return result;
}

std::size_t ReferenceEmitters::sse_clients() const { return sse_ ? sse_->clients() : 0; }

std::size_t ReferenceEmitters::ws_clients() const { return ws_ ? ws_->clients() : 0; }

}  // namespace evsim::producers
