// The FILE source check: the file a dashboard polls, read over and over while its writer runs.
// Every read must hold whole records (docs/file-format.md): a writer that rewrites in place lets a
// reader see an empty or half-written file now and then, which is what this catches.
#include <fstream>
#include <thread>

#include "check_parts.hpp"
#include "evsim/conformance/server_checks.hpp"
#include "evsim/core/file_format.hpp"

namespace evsim::conformance {

using detail::make_result;

std::vector<CheckResult> check_file_source(const std::string& path, const ServerCheckOptions& options) {
    using Clock = std::chrono::steady_clock;
    const std::string clause = "docs/file-format.md (the dashboard's FILE source)";
    const auto read = [&](std::string& text) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return false;
        text.assign(file_format::Limits{}.max_input_bytes + 1, '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        text.resize(static_cast<std::size_t>(in.gcount()));
        return !in.bad();
    };
    std::vector<CheckResult> results;
    std::string text;
    const bool readable = read(text);
    results.push_back(make_result("file.readable", "the file can be read", clause, Level::must, readable,
                                  "a readable file", readable ? "readable" : "cannot read " + path));
    if (!readable) return results;

    // Poll as fast as is sensible for the observation time: each read is one sample.
    std::size_t reads = 0, empty = 0, changes = 0;
    std::optional<file_format::Diagnostic> first_error;
    std::size_t errors = 0;
    std::string previous;
    const auto until = Clock::now() + options.observe;
    do {
        ++reads;
        if (!read(text)) continue;
        const auto parsed = file_format::parse(text);
        if (!parsed.ok()) {
            ++errors;
            if (!first_error) first_error = parsed.error;
        } else if (parsed.records.empty()) {
            ++empty;
        }
        if (reads > 1 && text != previous) ++changes;
        previous = text;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the poll period of the sampling
    } while (Clock::now() < until);

    const bool all_good = errors == 0 && empty == 0;
    const bool some_good = reads > errors + empty;
    // Always bad: the format; sometimes bad: torn writes.
    results.push_back(make_result("file.format", "the file holds records the dashboard can read", clause,
                                  Level::must, some_good,
                                  "event=\"NAME\";data=VALUE records",
                                  some_good ? "readable records"
                                            : first_error ? file_format::to_string(*first_error)
                                                          : std::string("no records")));
    if (some_good) {
        results.push_back(make_result(
            "file.atomic", "every read sees whole records (the writer replaces the file atomically)", clause,
            Level::must, all_good, "whole records in every read",
            std::to_string(errors) + " torn and " + std::to_string(empty) + " empty of " + std::to_string(reads) +
                " reads" + (first_error ? " (first: " + file_format::to_string(*first_error) + ")" : std::string())));
    }
    results.push_back(make_result("file.updates", "the writer updates the file while observed", clause, Level::info,
                                  changes > 0, "at least one change",
                                  std::to_string(changes) + " changes in " + std::to_string(reads) + " reads"));
    return results;
}

}  // namespace evsim::conformance
