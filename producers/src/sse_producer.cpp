#include "evsim/producers/sse_producer.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/verb.hpp>
#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

#include "evsim/core/sse_encoder.hpp"
#include "evsim/producers/cors.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/periodic_timer.hpp"
#include "evsim/producers/push_producer.hpp"
#include "evsim/producers/replay_ring.hpp"
#include "evsim/producers/sse_session.hpp"

namespace evsim::producers {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view allowed_methods = "GET, HEAD, OPTIONS";

std::chrono::milliseconds whole_ms(std::chrono::microseconds time) {
    return std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(time));
}

class SseProducer final : public PushProducer {
public:
    SseProducer(boost::asio::io_context& io, const scenario::ProducerSpec& spec, const ProducerContext& context)
        : PushProducer(io, spec, context), settings_(spec_.sse) {
        if (settings_.replay.enabled) {
            replay_.emplace(ReplayLimits{settings_.replay.max_events, settings_.replay.max_bytes,
                                         std::chrono::duration_cast<std::chrono::milliseconds>(settings_.replay.max_age)});
        }
        if (cors_is_static(spec_.cors)) static_header_ = std::make_shared<const std::string>(response_header(nullptr));
    }

    HandlerResult handle(const Request& request) override {
        switch (request.method()) {
            case http::verb::get: {
                count(stats_->requests_served);
                auto fault = request_fault();
                if (fault && fault->kind != faults::Kind::content_type) return make_fault_response(*fault, request);
                return TakeOver{[self = self<SseProducer>(), fault](net::MaybeTlsStream stream, Request taken) {
                    self->open(std::move(stream), taken, fault ? fault->content_type : std::string());
                }};
            }
            case http::verb::head: {
                // The stream's headers without the stream. No length, so the session closes after it.
                Response response{http::status::ok, request.version()};
                response.set(http::field::content_type, "text/event-stream");
                apply_cors(spec_.cors, request, response.base());
                response.set(http::field::cache_control, "no-cache");
                return response;
            }
            case http::verb::options:
                return make_cors_preflight(spec_.cors, request, allowed_methods);
            default:
                return make_method_not_allowed(request, allowed_methods);
        }
    }

private:
    Message encode(const FeedEvent& event) override {
        sse::OutgoingEvent out;
        if (!event.type.empty()) out.type = std::string(event.type);
        std::string data;
        if (spec_.measurement_metadata && settings_.id != scenario::SseIdScheme::measurement) {
            measurement::append_envelope(data, event.stamp, event.data, event.form);
        } else {
            data.assign(event.data);
        }
        out.data = std::move(data);
        if (settings_.id == scenario::SseIdScheme::counter) {
            out.id = std::to_string(event.stamp.seq);
        } else if (settings_.id == scenario::SseIdScheme::measurement) {
            out.id.emplace();
            measurement::append_id(*out.id, event.stamp);
        }
        return std::make_shared<const std::string>(sse::encode(out, settings_.framing));
    }

    void after_publish(const FeedEvent& event, const Message& message) override {
        if (!replay_) return;
        std::string id;
        if (settings_.id == scenario::SseIdScheme::counter) {
            id = std::to_string(event.stamp.seq);
        } else if (settings_.id == scenario::SseIdScheme::measurement) {
            measurement::append_id(id, event.stamp);
        }
        replay_->push(std::move(id), message, ReplayRing::Clock::now());
    }

    void on_start() override {
        if (!settings_.keepalive) return;
        std::string comment;
        sse::encode_comment(comment, "keepalive", settings_.framing);
        keepalive_message_ = std::make_shared<const std::string>(std::move(comment));
        keepalive_ = PeriodicTimer::create(io_, whole_ms(*settings_.keepalive), [weak = weak_from_this()] {
            if (auto self = weak.lock()) std::static_pointer_cast<SseProducer>(self)->on_keepalive();
        });
        keepalive_->start();
    }

    void on_stop() override {
        if (keepalive_) keepalive_->stop();
    }

    // A comment when no event went out since the last check, so proxies and clients with idle
    // timeouts keep the stream open. Shared bytes, like events, but never stored as a latest value.
    void on_keepalive() {
        if (stopped_) return;
        if (idle_since_check_) broadcast(keepalive_message_);
        idle_since_check_ = true;
    }

    // Status line, headers, the blank line, then `retry:` when the scenario sets it. Close-delimited
    // body: no Content-Length and no Transfer-Encoding. HTTP/1.1 allows that for responses (RFC 9112
    // section 6.3, rule 8), EventSource and curl read it, and the wire carries the events and nothing
    // else, exactly like sse.py. `Connection: keep-alive` is sent by hand because the sample sends it
    // and Beast drops it as redundant in HTTP/1.1.
    std::string response_header(const Request* request, std::string_view content_type = "text/event-stream") const {
        http::response<http::empty_body> response{http::status::ok, 11};
        response.set(http::field::content_type, content_type);
        if (request) {
            apply_cors(spec_.cors, *request, response.base());
        } else {
            response.set(http::field::access_control_allow_origin, "*");
        }
        response.set(http::field::cache_control, "no-cache");
        response.set(http::field::connection, "keep-alive");
        std::ostringstream out;
        out << response.base();
        auto header = std::move(out).str();
        if (settings_.retry) {
            sse::OutgoingEvent retry;
            retry.retry = static_cast<std::uint64_t>(whole_ms(*settings_.retry).count());
            // Only the retry line: without data nothing is dispatched, and the blank line is harmless.
            sse::encode(header, retry, settings_.framing);
        }
        return header;
    }

    // `content_type`: empty for the real one, or what a content_type fault says.
    void open(net::MaybeTlsStream stream, const Request& request, const std::string& content_type) {
        if (stopped_) return;  // the connection closes as the stream goes out of scope
        auto header = static_header_ && content_type.empty()
                          ? static_header_
                          : std::make_shared<const std::string>(response_header(
                                &request, content_type.empty() ? std::string_view("text/event-stream") : content_type));
        auto executor = stream.get_executor();
        auto session = std::make_shared<SseSession>(std::move(stream), std::move(header), spec_.queue, stats_,
                                                    faults_.plan(), next_connection_number());
        session->start(*connections_);
        const auto last_id = request["Last-Event-ID"];
        join(std::move(session), std::move(executor), std::string(last_id.data(), last_id.size()));
    }

    // What a client missed after the Last-Event-ID it sent. With no such header, no replay ring or
    // an id that is no longer (or never was) in it, the latest values, like a new client.
    std::vector<Message> first_messages(std::string_view last_event_id) override {
        if (replay_ && !last_event_id.empty()) {
            auto missed = replay_->after(last_event_id, ReplayRing::Clock::now());
            if (missed.id_known) return std::move(missed.events);
        }
        return PushProducer::first_messages(last_event_id);
    }

    scenario::SseSettings settings_;
    std::optional<ReplayRing> replay_;
    Message static_header_;  // when CORS answers every request alike: built once
    Message keepalive_message_;
    std::shared_ptr<PeriodicTimer> keepalive_;
};

}  // namespace

std::shared_ptr<HttpProducer> make_sse_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                                const ProducerContext& context) {
    return std::make_shared<SseProducer>(io, spec, context);
}

}  // namespace evsim::producers
