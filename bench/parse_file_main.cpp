// evsim_parse_file: evsim's half of the parser comparison (bench/compare_sse_parsers.sh).
//
//   evsim_parse_file FILE [--chunk N] [--repeat R] [--warmup W]
//       Parses FILE R times, each time with a fresh Parser fed N-byte chunks, and prints one JSON line
//       with the events counted and the throughput. bench/parser_compare/parse_file.mjs does the same
//       with eventsource-parser and prints the same line, so the two can be compared field by field.
//   evsim_parse_file --generate KIND COUNT OUT
//       Writes COUNT events of KIND (small|large|multiline|crlf) to OUT with evsim's encoder, so both
//       parsers read byte-identical input.
//
// Exit status: 0 on success, 1 when the parser reports an error, 2 on bad usage or an I/O failure.
#include <chrono>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evsim/core/sse_parser.hpp"
#include "sse_bench_streams.hpp"

namespace {

constexpr int kExitParseError = 1;
constexpr int kExitUsage = 2;

constexpr std::string_view kUsage =
    "usage: evsim_parse_file FILE [--chunk N] [--repeat R] [--warmup W]\n"
    "       evsim_parse_file --generate small|large|multiline|crlf COUNT OUT\n"
    "  --chunk N    feed the parser N bytes at a time (default 65536)\n"
    "  --repeat R   timed passes over FILE, each with a fresh parser (default 1)\n"
    "  --warmup W   untimed passes before the timed ones (default 1)\n";

int usage_error(std::string_view message) {
    std::cerr << "evsim_parse_file: " << message << "\n" << kUsage;
    return kExitUsage;
}

// A whole decimal number >= 1, with nothing after it.
std::optional<std::size_t> parse_positive(std::string_view text) {
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
    return value;
}

// Reads the whole file. stdio rather than iostreams because a read error (a directory, an I/O
// failure) must not pass for an empty file.
std::optional<std::string> read_file(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) return std::nullopt;
    std::string contents;
    char buffer[1 << 16];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) contents.append(buffer, got);
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) return std::nullopt;
    return contents;
}

class CountingHandler final : public evsim::sse::ParserHandler {
public:
    void on_event(const evsim::sse::Event& /*event*/) override { ++events; }
    std::uint64_t events = 0;
};

// One pass: a fresh parser over every chunk, as a new connection would see the stream.
evsim::sse::ParseError parse_once(const std::vector<std::string_view>& chunks, CountingHandler& handler) {
    evsim::sse::Parser parser(handler);
    for (const std::string_view chunk : chunks) {
        if (parser.feed(chunk) != evsim::sse::ParseError::none) break;
    }
    parser.end_of_stream();
    return parser.error();
}

int run_generate(std::string_view kind_name, std::string_view count_text, const std::string& out_path) {
    const auto kind = evsim::bench::parse_stream_kind(kind_name);
    if (!kind) return usage_error("unknown stream kind '" + std::string(kind_name) + "'");
    const auto count = parse_positive(count_text);
    if (!count) return usage_error("COUNT must be a whole number >= 1, got '" + std::string(count_text) + "'");

    const std::string stream = evsim::bench::make_stream(*kind, *count);
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    out.write(stream.data(), static_cast<std::streamsize>(stream.size()));
    out.close();
    if (!out) {
        std::cerr << "evsim_parse_file: cannot write '" << out_path << "'\n";
        return kExitUsage;
    }
    return 0;
}

int run_parse(const std::string& path, std::size_t chunk_size, std::size_t repeats, std::size_t warmups) {
    const auto contents = read_file(path);
    if (!contents) {
        std::cerr << "evsim_parse_file: cannot read '" << path << "'\n";
        return kExitUsage;
    }

    // Chunk boundaries are computed before timing, as parse_file.mjs does with its pre-decoded chunks;
    // here they are only views into the file's bytes, so the parser still reads raw bytes and does
    // its own UTF-8 validation inside the timed region.
    std::vector<std::string_view> chunks;
    const std::string_view bytes = *contents;
    for (std::size_t pos = 0; pos < bytes.size(); pos += chunk_size) chunks.push_back(bytes.substr(pos, chunk_size));

    for (std::size_t i = 0; i < warmups; ++i) {
        CountingHandler warmup_handler;
        parse_once(chunks, warmup_handler);
    }

    CountingHandler handler;
    std::chrono::steady_clock::duration elapsed{};
    for (std::size_t i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const evsim::sse::ParseError error = parse_once(chunks, handler);
        elapsed += std::chrono::steady_clock::now() - start;
        if (error != evsim::sse::ParseError::none) {
            std::cerr << "evsim_parse_file: '" << path << "': " << evsim::sse::to_string(error) << "\n";
            return kExitParseError;
        }
    }

    const double seconds = std::chrono::duration<double>(elapsed).count();
    const double total_bytes = static_cast<double>(bytes.size()) * static_cast<double>(repeats);
    const double events = static_cast<double>(handler.events);
    const double events_per_s = seconds > 0 ? events / seconds : 0.0;
    const double mb_per_s = seconds > 0 ? total_bytes / seconds / 1e6 : 0.0;  // MB = 10^6 bytes
    std::printf(R"({"impl":"evsim","events":%llu,"bytes":%.0f,"seconds":%.6f,"events_per_s":%.0f,"mb_per_s":%.2f})"
                "\n",
                static_cast<unsigned long long>(handler.events), total_bytes, seconds, events_per_s, mb_per_s);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error("missing FILE");

    if (args[0] == "--generate") {
        if (args.size() != 4) return usage_error("--generate takes KIND COUNT OUT");
        return run_generate(args[1], args[2], std::string(args[3]));
    }
    if (args[0] == "--help" || args[0] == "-h") {
        std::cout << kUsage;
        return 0;
    }
    if (args[0].starts_with("--")) return usage_error("expected FILE before options, got '" + std::string(args[0]) + "'");

    std::size_t chunk_size = 65536;
    std::size_t repeats = 1;
    std::size_t warmups = 1;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        const std::string_view option = args[i];
        std::size_t* target = nullptr;
        if (option == "--chunk") {
            target = &chunk_size;
        } else if (option == "--repeat") {
            target = &repeats;
        } else if (option == "--warmup") {
            target = &warmups;
        } else {
            return usage_error("unknown argument '" + std::string(option) + "'");
        }
        if (i + 1 >= args.size()) return usage_error(std::string(option) + " needs a value");
        // --warmup 0 is allowed (no warm-up); chunk and repeat must be at least 1.
        if (option == "--warmup" && args[i + 1] == "0") {
            *target = 0;
            continue;
        }
        const auto value = parse_positive(args[i + 1]);
        if (!value) {
            return usage_error(std::string(option) + " needs a whole number >= 1, got '" + std::string(args[i + 1]) + "'");
        }
        *target = *value;
    }
    return run_parse(std::string(args[0]), chunk_size, repeats, warmups);
}
