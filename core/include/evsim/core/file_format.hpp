// Codec for the dashboard's FILE event source: a text file that the dashboard polls, holding records
// such as `event="temperature_file";data=42`. The grammar, the writer's exact output, every error
// message and the limits are described in docs/file-format.md.
//
// The reader is tolerant of the forms seen in the wild (`;`, `,` or whitespace between pairs, bare,
// "double" or 'single' quoted values) but never guesses: anything it cannot read unambiguously, and
// every sign of a torn or truncated write it can see, is an error with a line and column. The writer
// is strict and produces one canonical form that the reader reads back to the same records.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evsim::file_format {

// One event as the dashboard sees it.
struct Record {
    std::string event;  // the event name: never empty, valid UTF-8
    std::string data;   // the payload: valid UTF-8, may be empty

    friend bool operator==(const Record&, const Record&) = default;
};

// Bounds on what parse() accepts, so a hostile or runaway file costs bounded memory and time.
struct Limits {
    std::size_t max_input_bytes = std::size_t{1} << 20U;  // larger inputs are an error (BOM included)
    std::size_t max_records = 10'000;                     // one record more is an error
    std::size_t max_warnings = 100;                       // later warnings are counted, not kept
};

// A place in the input and what was found there.
struct Diagnostic {
    std::size_t line = 0;    // 1-based; a line ends at LF, CR LF or a lone CR
    std::size_t column = 0;  // 1-based, counted in Unicode code points (a tab counts as one)
    std::size_t offset = 0;  // 0-based byte offset into the input as given (a leading BOM included)
    std::string message;     // says what was expected and what was found

    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// "line:column: message", the form compilers use, so editors can jump to it.
std::string to_string(const Diagnostic& diagnostic);

struct ParseResult {
    // Every record in file order. Empty whenever `error` is set: a torn or malformed file yields
    // nothing rather than a guess, and the caller keeps its previous value and polls again.
    std::vector<Record> records;
    // Pairs with a key other than `event` and `data`: skipped, but reported. At most
    // Limits::max_warnings are kept; `dropped_warnings` counts the rest.
    std::vector<Diagnostic> warnings;
    std::size_t dropped_warnings = 0;
    // The first error; parsing stops there.
    std::optional<Diagnostic> error;

    bool ok() const noexcept { return !error.has_value(); }
};

// Reads every record in `text`. Never throws for any input other than std::bad_alloc, never reads
// outside `text`. Empty input, or input holding only whitespace and separators, is zero records and
// no error.
ParseResult parse(std::string_view text, Limits limits = {});

// Writes one record as exactly `event="NAME";data=VALUE`, with no line terminator (like the sample
// writer). The event name is always double-quoted; the data is bare when it is non-empty and made
// only of ASCII letters, digits and `.` `-` `+` `_`, and double-quoted otherwise. Quoted text escapes
// `"` `\` and the control characters; everything else, non-ASCII included, is written as it is.
// Throws std::invalid_argument when the event name is empty or either field is not valid UTF-8.
std::string write(const Record& record);

// Writes the records joined with "\n", with no line terminator after the last; "" for none.
std::string write(const std::vector<Record>& records);

}  // namespace evsim::file_format
