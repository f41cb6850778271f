#include "evsim/producers/fetch_producer.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <algorithm>
#include <charconv>
#include <deque>
#include <string>
#include <utility>

#include "evsim/producers/cors.hpp"
#include "evsim/producers/event_feed.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/producer_faults.hpp"
#include "evsim/producers/push_producer.hpp"

namespace evsim::producers {

namespace http = boost::beast::http;

namespace {

// One event as a fetch answer carries it: its body form and sequence number.
struct StoredEvent {
    std::uint64_t seq = 0;
    std::string body;       // the data, or its measurement envelope
    bool json = false;      // `body` is a JSON value (a number, a document, an envelope)
    bool document = false;  // ... and an object or array: served as application/json
};

// "GET, HEAD, OPTIONS" from the configured methods: HEAD wherever GET is (RFC 9110 section 9.3.2),
// OPTIONS always (CORS preflights).
std::string allowed_methods(const std::vector<std::string>& methods) {
    std::vector<std::string> all = methods;
    if (std::find(all.begin(), all.end(), "GET") != all.end() && std::find(all.begin(), all.end(), "HEAD") == all.end()) {
        all.emplace_back("HEAD");
    }
    all.emplace_back("OPTIONS");
    std::string out;
    for (const auto& method : all) out += (out.empty() ? "" : ", ") + method;
    return out;
}

// The value of `name` in the target's query ("?since=12&x=1"), or empty.
std::string_view query_value(std::string_view target, std::string_view name) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return {};
    auto query = target.substr(question + 1);
    query = query.substr(0, query.find('#'));
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
            return pair.substr(name.size() + 1);
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

class FetchProducer final : public HttpProducer, public std::enable_shared_from_this<FetchProducer> {
public:
    FetchProducer(boost::asio::io_context& io, const scenario::ProducerSpec& spec, const ProducerContext& context)
        : HttpProducer(spec, context.stats),
          io_(io),
          context_(context),
          methods_(allowed_methods(spec_.fetch.methods)),
          faults_(spec_.faults, context.seed) {
        cadence::validate(spec_.cadence);
        payload::validate(spec_.payload);
    }

    void start() override {
        if (stopped_ || feed_) return;
        started_at_ = std::chrono::steady_clock::now();
        auto options = feed_options(spec_, context_);
        if (spec_.fetch.mode == scenario::FetchMode::per_request) {
            // No cadence: emit() runs once per request. A cadence is still needed to build the feed.
            options.emit_on_start = false;
        }
        feed_ = EventFeed::create(io_, std::move(options), [weak = weak_from_this()](const FeedEvent& event) {
            if (auto self = weak.lock()) self->on_event(event);
        });
        if (spec_.fetch.mode == scenario::FetchMode::per_request) return;  // never started: no timer
        feed_->start();
    }

    void stop(std::chrono::milliseconds) override {
        stopped_ = true;
        if (feed_) feed_->stop();
    }

    void publish(std::string_view type, std::string_view data, measurement::DataForm form) override {
        if (feed_) feed_->publish(type, data, form);
    }

    std::size_t clients() const override { return 0; }

    void inject_fault(std::shared_ptr<const faults::FaultSpec> fault) override { faults_.arm(std::move(fault)); }

    HandlerResult handle(const Request& request) override {
        if (request.method() == http::verb::options) return make_cors_preflight(spec_.cors, request, methods_);
        if (!accepts(request)) {
            auto response = make_method_not_allowed(request, methods_);
            apply_cors(spec_.cors, request, response.base());
            return response;
        }
        count(stats_->requests_served);
        if (faults_.any()) {
            // An `at` request fault is armed for the first request after its time.
            (void)faults_.on_time(std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - started_at_));
        }
        auto fault = faults_.on_request();
        if (fault) count(stats_->faults_injected);
        auto response = fault && fault->kind != faults::Kind::content_type ? make_fault_response(*fault, request)
                                                                            : answer(request);
        if (fault && fault->kind == faults::Kind::content_type) response.set(http::field::content_type, fault->content_type);
        if (spec_.fetch.latency.count() > 0) return DelayedResponse{spec_.fetch.latency, std::move(response)};
        return response;
    }

private:
    bool accepts(const Request& request) const {
        const auto method = request.method_string();
        const std::string_view asked(method.data(), method.size());
        const auto& methods = spec_.fetch.methods;
        if (std::find(methods.begin(), methods.end(), asked) != methods.end()) return true;
        return asked == "HEAD" && std::find(methods.begin(), methods.end(), "GET") != methods.end();
    }

    Response answer(const Request& request) {
        if (spec_.fetch.mode == scenario::FetchMode::per_request) feed_->emit();
        std::string body;
        bool document = false;
        std::uint64_t seq = 0;
        if (spec_.fetch.mode == scenario::FetchMode::batch) {
            seq = batch(request.target(), body);
            document = true;
        } else if (!recent_.empty()) {
            body = recent_.back().body;
            document = recent_.back().document;
            seq = recent_.back().seq;
        }
        const std::string etag = "\"" + std::to_string(seq) + "\"";
        if (spec_.fetch.etag && request[http::field::if_none_match] == etag) {
            Response response{http::status::not_modified, request.version()};
            apply_cors(spec_.cors, request, response.base());
            response.set(http::field::etag, etag);
            response.set(http::field::cache_control, "no-cache");
            response.keep_alive(request.keep_alive());
            return response;
        }
        if (request.method() != http::verb::head) count(stats_->bytes_sent, body.size());
        auto response = make_text_response(request, static_cast<http::status>(spec_.fetch.status), std::move(body));
        apply_cors(spec_.cors, request, response.base());
        // Numbers stay text/plain, as fetch.py sends them; documents and envelopes are JSON.
        if (document) response.set(http::field::content_type, "application/json");
        if (spec_.fetch.etag) response.set(http::field::etag, etag);
        return response;
    }

    // A JSON array of the events after `?since=SEQ` or, without it, after the previous request's
    // last one; at most batch_size, the newest kept. Returns the newest sequence number sent.
    std::uint64_t batch(std::string_view target, std::string& body) {
        std::uint64_t since = cursor_;
        if (const auto text = query_value(target, "since"); !text.empty()) {
            std::uint64_t value = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (error == std::errc() && end == text.data() + text.size()) since = value;
        }
        body = "[";
        std::uint64_t newest = since;
        for (const auto& event : recent_) {
            if (event.seq <= since) continue;
            if (body.size() > 1) body += ',';
            measurement::append_json_value(body, event.body,
                                           event.json ? measurement::DataForm::json : measurement::DataForm::text);
            newest = event.seq;
        }
        body += ']';
        cursor_ = std::max(cursor_, newest);
        return newest;
    }

    void on_event(const FeedEvent& event) {
        count(stats_->events_published);
        StoredEvent stored{event.stamp.seq, {}, true, true};
        if (spec_.measurement_metadata) {
            measurement::append_envelope(stored.body, event.stamp, event.data, event.form);
        } else {
            stored.body.assign(event.data);
            stored.json = event.form == measurement::DataForm::json;
            stored.document = stored.json && !event.data.empty() && (event.data.front() == '{' || event.data.front() == '[');
        }
        recent_.push_back(std::move(stored));
        const std::size_t keep = spec_.fetch.mode == scenario::FetchMode::batch ? spec_.fetch.batch_size : 1;
        while (recent_.size() > keep) recent_.pop_front();
    }

    boost::asio::io_context& io_;
    ProducerContext context_;
    std::string methods_;
    std::shared_ptr<EventFeed> feed_;
    std::deque<StoredEvent> recent_;  // the latest event, or the last batch_size in batch mode
    std::uint64_t cursor_ = 0;        // batch mode: the newest event a request has been sent
    ProducerFaults faults_;
    std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
    bool stopped_ = false;
};

}  // namespace

std::shared_ptr<HttpProducer> make_fetch_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                                  const ProducerContext& context) {
    return std::make_shared<FetchProducer>(io, spec, context);
}

}  // namespace evsim::producers
