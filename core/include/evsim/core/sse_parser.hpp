// Incremental parser for the text/event-stream format, exactly as the WHATWG HTML Standard's
// "Server-sent events" section (9.2.5 parsing, 9.2.6 interpreting) describes it.
//
// Feed it bytes in chunks of any size; it calls the handler for every dispatched event, every valid
// `retry` field and every comment. Chunking never changes what it reports. It does not allocate per
// byte or per event once its buffers have grown to the stream's largest line and event, and it bounds
// its memory: a line or an event larger than the configured limits is an error the caller sees.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace evsim::sse {

// One dispatched event. The views stay valid only during the handler call.
struct Event {
    std::string_view type;           // "message" when the stream named no type
    std::string_view data;           // data lines joined with LF, valid UTF-8
    std::string_view last_event_id;  // the event source's last event ID string at dispatch
};

class ParserHandler {
public:
    virtual ~ParserHandler() = default;
    virtual void on_event(const Event& event) = 0;
    // A `retry` field whose value was all ASCII digits set the reconnection time.
    virtual void on_retry(std::uint64_t /*milliseconds*/) {}
    // A comment line; `text` is everything after the colon, raw bytes (not UTF-8 repaired).
    virtual void on_comment(std::string_view /*text*/) {}
};

struct ParserLimits {
    // Longest line accepted, without its terminator. Longer lines fail the parser.
    std::size_t max_line_bytes = 1U << 20U;
    // Largest data buffer one event may accumulate across its data lines.
    std::size_t max_event_bytes = 16U << 20U;
};

enum class ParseError {
    none,
    line_too_long,
    event_too_large,
};

std::string_view to_string(ParseError error);

namespace detail {

// Where a line's bytes are, which decides how its values may be stored.
enum class LineBytes : unsigned char {
    chunk_ascii,  // ASCII inside the chunk being fed: values may be referenced in place
    held_ascii,   // ASCII in the parser's own line buffer: values must be copied
    unchecked,    // may hold invalid UTF-8: values are copied with their UTF-8 repaired
};

// A field value that is referenced in place while it lies in the chunk being fed, and copied only
// if that chunk ends before the value is used. Most events are dispatched in the chunk that carries
// them, so their type and id are never copied.
class ChunkText {
public:
    void set(std::string_view value, LineBytes bytes);
    void assign(std::string_view value) {
        owned_.assign(value);
        borrowed_ = false;
    }
    void clear() noexcept {
        owned_.clear();
        borrowed_ = false;
    }
    // Copies a borrowed value: call before the chunk it points into goes away.
    void keep();
    std::string_view view() const noexcept { return borrowed_ ? view_ : std::string_view(owned_); }
    bool empty() const noexcept { return view().empty(); }

private:
    std::string owned_;
    std::string_view view_;
    bool borrowed_ = false;
};

}  // namespace detail

class Parser {
public:
    explicit Parser(ParserHandler& handler, ParserLimits limits = {});

    // Consumes `bytes`. Returns the first error the stream has hit; once in error the parser ignores
    // further input until reset_stream() or a new Parser.
    ParseError feed(std::string_view bytes);

    // The connection ended. The spec discards any incomplete event (and an unterminated last line).
    void end_of_stream();

    // A new connection begins (a reconnect): per-stream state is cleared (line buffer, data and
    // event type buffers, BOM detection, error) while the last event ID and the reconnection time
    // are kept, as a browser's EventSource keeps them.
    void reset_stream();

    ParseError error() const noexcept { return error_; }
    // The event source's last event ID string: what a reconnect sends as Last-Event-ID.
    const std::string& last_event_id() const noexcept { return last_event_id_; }
    // Seeds the last event ID (for example a client started with a known id).
    void set_last_event_id(std::string_view id);
    // The reconnection time the stream last set with `retry`, if any.
    std::optional<std::uint64_t> reconnection_time() const noexcept { return reconnection_time_; }

private:
    std::size_t consume_bom(std::string_view bytes);
    void process_line(std::string_view line, detail::LineBytes bytes);
    void process_field(std::string_view name, std::string_view value, detail::LineBytes bytes);
    void process_data(std::string_view value, detail::LineBytes bytes);
    void process_event_type(std::string_view value, detail::LineBytes bytes);
    void process_id(std::string_view value, detail::LineBytes bytes);
    void process_retry(std::string_view value);
    void materialize_data_view();
    void keep_borrowed_text();
    void dispatch();
    bool fail(ParseError error);

    ParserHandler& handler_;
    ParserLimits limits_;
    std::string line_buffer_;      // a line that spans chunks
    bool line_buffer_ascii_ = true;  // every byte held in line_buffer_ came from an ASCII chunk
    std::string data_buffer_;
    detail::ChunkText event_type_buffer_;
    detail::ChunkText last_event_id_buffer_;
    std::string last_event_id_;
    // The first data line of the pending event while it still lies in the chunk being fed.
    std::string_view data_view_;
    bool data_view_active_ = false;
    bool id_changed_ = false;  // an id field arrived since the last dispatch
    std::optional<std::uint64_t> reconnection_time_;
    unsigned char bom_seen_ = 0;    // bytes of a possible leading BOM held back so far
    bool at_stream_start_ = true;
    bool skip_next_lf_ = false;     // the previous chunk ended with CR: a leading LF belongs to it
    ParseError error_ = ParseError::none;
};

}  // namespace evsim::sse
