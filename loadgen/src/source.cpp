#include "source.hpp"

#include "evsim/net/url.hpp"

namespace evsim::loadgen::detail {

std::int64_t unix_now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::uint64_t micros_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
    if (to <= from) return 0;
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(to - from).count());
}

void PoolTicket::acquire(ConnectionPool* pool, const PoolHost& host, SourceContext& context,
                         std::function<void()> granted) {
    release();
    context_ = &context;
    if (pool == nullptr) {
        granted();
        return;
    }
    pool_ = pool;
    since_ = std::chrono::steady_clock::now();
    acquiring_ = true;
    waiting_ = true;
    id_ = pool->acquire(host, [this, granted = std::move(granted)](ConnectionPool::Clock::duration waited) {
        waiting_ = false;
        held_ = true;
        if (!acquiring_) {
            context_->gauges.pending.add(-1);
            context_->recorder.pool_waited(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(waited).count()));
        }
        granted();
    });
    acquiring_ = false;  // from now on the callback runs from release() of another ticket
    if (waiting_) context.gauges.pending.add(1);
}

void PoolTicket::release() {
    if (pool_ == nullptr) return;
    ConnectionPool* pool = pool_;
    pool_ = nullptr;
    if (waiting_) {
        waiting_ = false;
        context_->gauges.pending.add(-1);
        context_->recorder.pool_abandoned(micros_between(since_, std::chrono::steady_clock::now()));
    }
    held_ = false;
    pool->release(id_);
}

std::unique_ptr<Source> make_source(const ResolvedSource& source, SourceContext& context) {
    switch (source.type) {
        case scenario::ProducerType::sse: return make_sse_source(source, context);
        case scenario::ProducerType::ws: return make_ws_source(source, context);
        case scenario::ProducerType::fetch: return make_fetch_source(source, context);
        case scenario::ProducerType::file: return make_file_source(source, context);
    }
    throw std::invalid_argument("unknown source type");
}

void check_source_url(const ResolvedSource& source) {
    const std::string type(scenario::to_string(source.type));
    if (source.type == scenario::ProducerType::file) {
        if (!source.url.starts_with("/") && !source.url.starts_with("file:///"))
            throw std::invalid_argument("a file source needs an absolute path or a file:/// URL, not '" + source.url + "'");
        return;
    }
    const net::Endpoint endpoint = net::parse_url(source.url);  // throws net::UrlError, an invalid_argument
    const bool ws = endpoint.scheme == "ws" || endpoint.scheme == "wss";
    if (ws != (source.type == scenario::ProducerType::ws))
        throw std::invalid_argument("a " + type + " source cannot use the URL '" + source.url + "' (" +
                                    (ws ? "sse and fetch need http:// or https://" : "ws needs ws:// or wss://") + ")");
}

PoolHost pool_host_of(const std::string& url) {
    const net::Endpoint endpoint = net::parse_url(url);
    return PoolHost{endpoint.scheme, endpoint.host, endpoint.port};
}

}  // namespace evsim::loadgen::detail
