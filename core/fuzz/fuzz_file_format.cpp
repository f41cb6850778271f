// libFuzzer target for the FILE event source codec (evsim/core/file_format.hpp).
//
// Feeds arbitrary bytes to parse() with small limits and checks what must hold for every input:
// the limits are respected, an error carries a sane position and drops the records, and whatever
// parses is written back by write() into text that parses to the very same records, with no
// warnings, and that write() reproduces byte for byte (its form is a fixed point).
//
// The same bytes, split at the first 0xFF (a byte valid UTF-8 never holds) into an event name and
// data, also drive the writer directly: write() either refuses the record or parse() returns it.
#include "evsim/core/file_format.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

using namespace evsim::file_format;

void require(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "fuzz_file_format: invariant broken: %s\n", what);
        std::abort();
    }
}

// write() must refuse a record (empty name, invalid UTF-8) or write one that reads back unchanged.
void check_writer_round_trip(std::string_view text) {
    const std::size_t split = text.find('\xFF');
    Record record{std::string(text.substr(0, split)),
                  split == std::string_view::npos ? std::string() : std::string(text.substr(split + 1))};
    std::string written;
    try {
        written = write(record);
    } catch (const std::invalid_argument&) {
        return;
    }
    require(!record.event.empty(), "an empty event name is refused");
    require(written.find('\n') == std::string::npos, "one record is one line");
    Limits relaxed;
    relaxed.max_input_bytes = written.size();
    const ParseResult result = parse(written, relaxed);
    require(result.ok() && result.records.size() == 1 && result.records[0] == record, "parse(write(r)) == r");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(bytes), size);
    Limits limits;
    limits.max_input_bytes = 4096;
    limits.max_records = 8;
    limits.max_warnings = 4;
    check_writer_round_trip(text);
    const ParseResult result = parse(text, limits);

    require(result.records.size() <= limits.max_records, "records within max_records");
    require(result.warnings.size() <= limits.max_warnings, "warnings within max_warnings");
    require(result.warnings.size() == limits.max_warnings || result.dropped_warnings == 0,
            "warnings dropped only once the list is full");
    if (!result.ok()) {
        const Diagnostic& error = *result.error;
        require(result.records.empty(), "no records alongside an error");
        require(error.line >= 1 && error.column >= 1, "positions are 1-based");
        require(error.offset <= size, "the error lies within the input");
        require(error.column <= error.offset + 1, "a column never exceeds the bytes before it");
        require(!error.message.empty(), "an error says what went wrong");
        return 0;
    }
    require(size <= limits.max_input_bytes, "oversized input is an error");

    for (const Record& record : result.records) require(!record.event.empty(), "event names are never empty");
    const std::string written = write(result.records);
    Limits relaxed = limits;
    relaxed.max_input_bytes = written.size();  // escaping may make the text longer than the input
    const ParseResult again = parse(written, relaxed);
    require(again.ok(), "written records parse");
    require(again.records == result.records, "written records parse to the same records");
    require(again.warnings.empty(), "the writer emits no unknown keys");
    require(write(again.records) == written, "the writer's form is a fixed point");
    return 0;
}
