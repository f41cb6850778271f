// The time-series database's watch API (reference document 002): GET /db/watch/{table} streams,
// every `period`, the rows inserted since the last period: for a tag table the latest value of each
// requested tag, for a log table at most max-rows records. Rows are inserted at the producer's
// cadence with values from its payload generator, one generator per tag (or per log table).
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <deque>

#include "evsim/core/cadence.hpp"
#include "evsim/core/payload.hpp"
#include "evsim/producers/connection_set.hpp"
#include "evsim/producers/cors.hpp"
#include "evsim/producers/dialect_producers.hpp"
#include "evsim/producers/http_responses.hpp"
#include "evsim/producers/sse_session.hpp"
#include "dialect_stream.hpp"
#include "watch_request.hpp"

namespace evsim::producers {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kLogRowsKept = 1000;  // a log table keeps its newest rows for watchers to catch up

std::int64_t unix_nanos_now() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Row {
    std::uint64_t seq = 0;  // 0: nothing inserted yet
    std::int64_t time_ns = 0;
    std::string value;      // JSON text
};

struct TableState {
    scenario::WatchTable spec;
    std::vector<std::unique_ptr<payload::Generator>> generators;  // one per tag, or one for a log table
    std::vector<Row> latest;                                      // tag tables: per tag
    std::deque<Row> rows;                                         // log tables: the newest rows
    std::uint64_t next_seq = 1;
};

// A generated value as JSON: numbers and JSON as they are, text quoted.
std::string json_value(payload::Generator& generator) {
    std::string raw;
    generator.next(raw);
    if (generator.kind() == payload::ValueKind::text) return boost::json::serialize(boost::json::string(raw));
    return raw;
}

class MachbaseWatchProducer;

// One watcher: its parameters, what it has been sent, its timers (on the producer's thread).
struct Watch {
    Watch(asio::io_context& io, WatchRequest r) : request(std::move(r)), period(io), keep_alive(io) {}
    WatchRequest request;
    std::shared_ptr<SseSession> session;
    asio::any_io_executor executor;
    std::vector<std::size_t> rows;    // tag tables: each requested tag's index in its table
    std::vector<std::uint64_t> sent;  // tag tables: the seq last sent per requested tag
    std::uint64_t log_sent = 0;       // log tables: the newest seq sent
    asio::steady_timer period;
    asio::steady_timer keep_alive;
};

class MachbaseWatchProducer final : public HttpProducer, public std::enable_shared_from_this<MachbaseWatchProducer> {
public:
    MachbaseWatchProducer(asio::io_context& io, const scenario::ProducerSpec& spec, const ProducerContext& context)
        : HttpProducer(spec, context.stats),
          io_(io),
          context_(context),
          connections_(ConnectionSet::create(io)),
          insert_timer_(io),
          cadence_(cadence::make_cadence(spec_.cadence, context.seed)) {
        auto tables = spec_.watch.tables;
        if (tables.empty()) tables.push_back({"example", scenario::WatchTable::Kind::tag, {"neo_load1", "neo_load5"}});
        for (auto& table : tables) {
            TableState state;
            state.spec = std::move(table);
            if (state.spec.kind == scenario::WatchTable::Kind::tag) {
                for (const auto& tag : state.spec.tags) {
                    state.generators.push_back(payload::make_generator(
                        spec_.payload, payload::field_seed(context.seed, state.spec.name + "/" + tag), context.clock));
                }
                state.latest.resize(state.spec.tags.size());
            } else {
                state.generators.push_back(
                    payload::make_generator(spec_.payload, payload::field_seed(context.seed, state.spec.name), context.clock));
            }
            specs_.push_back(state.spec);
            tables_.push_back(std::move(state));
        }
    }

    void start() override {
        if (started_ || stopped_) return;
        started_ = true;
        insert();  // the tables hold a row before the first watcher asks
        arm_insert();
    }

    void stop(std::chrono::milliseconds grace) override {
        if (stopped_) return;
        stopped_ = true;
        insert_timer_.cancel();
        for (auto& watch : watches_) {
            watch->period.cancel();
            watch->keep_alive.cancel();
        }
        watches_.clear();
        connections_->close_all(grace);
    }

    // The control API's publish: `data` (JSON, or text as a JSON string) inserted as the next value of
    // every tag of every tag table, and as a row of every log table.
    void publish(std::string_view, std::string_view data, measurement::DataForm form) override {
        const std::string value = form == measurement::DataForm::json
                                      ? std::string(data)
                                      : boost::json::serialize(boost::json::string(data));
        insert_value(&value);
    }

    void inject_fault(std::shared_ptr<const faults::FaultSpec>) override {
        throw std::invalid_argument("machbase-watch producers take no faults");
    }

    std::size_t clients() const override { return connections_->size(); }

    HandlerResult handle(const Request& request) override {
        if (request.method() == http::verb::options) return make_cors_preflight(spec_.cors, request, "GET, OPTIONS");
        if (request.method() != http::verb::get) {
            auto response = refusal(request, http::status::method_not_allowed, "the watch API answers GET");
            response.set(http::field::allow, "GET, OPTIONS");
            return response;
        }
        auto parsed = parse_watch_request(request.target(), specs_);
        if (auto* refused = std::get_if<WatchRefusal>(&parsed)) {
            count(stats_->requests_rejected);
            return refusal(request, static_cast<http::status>(refused->status), refused->reason);
        }
        count(stats_->requests_served);
        auto header = dialect_stream_head(&spec_.cors, request);
        return TakeOver{[self = shared_from_this(), watch = std::get<WatchRequest>(std::move(parsed)),
                         header](net::MaybeTlsStream stream, Request) mutable {
            self->open(std::move(stream), std::move(watch), std::move(header));
        }};
    }

private:
    // The database's error body: {"success":false,"reason":"..."}.
    Response refusal(const Request& request, http::status status, const std::string& reason) const {
        auto response = make_text_response(request, status, "");
        response.set(http::field::content_type, "application/json");
        apply_cors(spec_.cors, request, response.base());
        response.body() =
            boost::json::serialize(boost::json::object{{"success", false}, {"reason", reason}}) + "\n";
        response.prepare_payload();
        return response;
    }

    void arm_insert() {
        insert_timer_.expires_after(cadence_->next_gap());
        insert_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
            auto self = weak.lock();
            if (error || !self || self->stopped_) return;
            self->insert();
            self->arm_insert();
        });
    }

    void insert() { insert_value(nullptr); }

    // One insert into every table: `value`, or each generator's next one.
    void insert_value(const std::string* value) {
        const auto now = unix_nanos_now();
        for (auto& table : tables_) {
            if (table.spec.kind == scenario::WatchTable::Kind::tag) {
                for (std::size_t i = 0; i < table.latest.size(); ++i) {
                    table.latest[i] = Row{table.next_seq++, now, value ? *value : json_value(*table.generators[i])};
                }
            } else {
                table.rows.push_back(Row{table.next_seq++, now, value ? *value : json_value(*table.generators[0])});
                if (table.rows.size() > kLogRowsKept) table.rows.pop_front();
            }
        }
    }

    // On the connection's thread: the stream opens; its watch then runs on the producer's thread.
    void open(net::MaybeTlsStream stream, WatchRequest request, Message header) {
        open_dialect_stream(io_, std::move(stream), std::move(header), stopped_, spec_.queue, stats_, *connections_,
                            [self = shared_from_this(), request = std::move(request)](
                                std::shared_ptr<SseSession> session, asio::any_io_executor executor) mutable {
            if (self->stopped_) return;
            auto watch = std::make_shared<Watch>(self->io_, std::move(request));
            watch->session = session;
            watch->executor = executor;
            // What the table holds now was inserted before this watch: only newer rows are sent.
            const auto& table = self->tables_[watch->request.table];
            watch->sent.assign(watch->request.tags.size(), table.next_seq - 1);
            for (const auto& tag : watch->request.tags) {  // known tags: parse_watch_request checked them
                watch->rows.push_back(static_cast<std::size_t>(
                    std::find(table.spec.tags.begin(), table.spec.tags.end(), tag) - table.spec.tags.begin()));
            }
            watch->log_sent = table.next_seq - 1;
            self->watches_.push_back(watch);
            self->arm_period(watch);
            if (watch->request.keep_alive.count() > 0) self->arm_keep_alive(watch);
        });
    }

    bool alive(const std::shared_ptr<Watch>& watch) {
        if (!stopped_ && !watch->session->closed()) return true;
        watch->period.cancel();
        watch->keep_alive.cancel();
        std::erase(watches_, watch);
        return false;
    }

    void arm_period(const std::shared_ptr<Watch>& watch) {
        watch->period.expires_after(watch->request.period);
        watch->period.async_wait([weak = weak_from_this(), watch](const boost::system::error_code& error) {
            auto self = weak.lock();
            if (error || !self || !self->alive(watch)) return;
            self->send_period(*watch);
            self->arm_period(watch);
        });
    }

    void arm_keep_alive(const std::shared_ptr<Watch>& watch) {
        watch->keep_alive.expires_after(watch->request.keep_alive);
        watch->keep_alive.async_wait([weak = weak_from_this(), watch](const boost::system::error_code& error) {
            auto self = weak.lock();
            if (error || !self || !self->alive(watch)) return;
            self->deliver(*watch, keep_alive_comment());
            self->arm_keep_alive(watch);
        });
    }

    static Message keep_alive_comment() {
        static const Message comment = std::make_shared<const std::string>(": keep-alive\n\n");
        return comment;
    }

    // The rows inserted since the last period, one event each.
    void send_period(Watch& watch) {
        const auto& table = tables_[watch.request.table];
        std::string events;
        const auto& r = watch.request;
        if (table.spec.kind == scenario::WatchTable::Kind::tag) {
            for (std::size_t i = 0; i < r.tags.size(); ++i) {
                const Row& row = table.latest[watch.rows[i]];
                if (row.seq <= watch.sent[i]) continue;  // nothing new for this tag in this period
                watch.sent[i] = row.seq;
                append_event(events, "{\"NAME\":" + boost::json::serialize(boost::json::string(r.tags[i])) + ",\"TIME\":" +
                                         time_json(row.time_ns, r) + ",\"VALUE\":" + row.value + "}");
            }
        } else {
            // Rows after the last one sent, at most max-rows of them: the newest; the excess is omitted.
            std::size_t first = table.rows.size();
            while (first > 0 && table.rows[first - 1].seq > watch.log_sent) --first;
            if (table.rows.size() - first > r.max_rows) first = table.rows.size() - r.max_rows;
            for (std::size_t i = first; i < table.rows.size(); ++i) {
                const Row& row = table.rows[i];
                append_event(events, "{\"TIME\":" + time_json(row.time_ns, r) + ",\"VALUE\":" + row.value + "}");
            }
            if (!table.rows.empty()) watch.log_sent = std::max(watch.log_sent, table.rows.back().seq);
        }
        if (!events.empty()) deliver(watch, std::make_shared<const std::string>(std::move(events)));
    }

    static void append_event(std::string& out, const std::string& json) {
        out += "data: ";
        out += json;
        out += "\n\n";
    }

    static std::string time_json(std::int64_t time_ns, const WatchRequest& r) {
        const auto text = format_watch_time(time_ns, r.format, r.zone);
        return r.format == WatchTimeFormat::text ? "\"" + text + "\"" : text;
    }

    void deliver(const Watch& watch, Message message) {
        count(stats_->events_published);
        asio::post(watch.executor, [session = watch.session, message = std::move(message)] { session->deliver(message); });
    }

    asio::io_context& io_;
    ProducerContext context_;
    std::shared_ptr<ConnectionSet> connections_;
    asio::steady_timer insert_timer_;
    std::unique_ptr<cadence::Cadence> cadence_;
    std::vector<scenario::WatchTable> specs_;
    std::deque<TableState> tables_;  // never relocated: TableState is move-only
    std::vector<std::shared_ptr<Watch>> watches_;
    bool started_ = false;
    bool stopped_ = false;
};

}  // namespace

std::shared_ptr<HttpProducer> make_machbase_watch_producer(asio::io_context& io, const scenario::ProducerSpec& spec,
                                                           const ProducerContext& context) {
    return std::make_shared<MachbaseWatchProducer>(io, spec, context);
}

}  // namespace evsim::producers
