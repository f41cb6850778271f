// Reading typed values out of yaml-cpp nodes, with errors that point at the node. Private to
// evsim_core: yaml-cpp must not leak into the public headers.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "evsim/core/duration.hpp"
#include "evsim/core/scenario.hpp"

namespace evsim::scenario::detail {

// The file being read; every reader takes it so that errors carry the file name.
class Doc {
public:
    explicit Doc(std::string source) : source_(std::move(source)) {}

    const std::string& source() const noexcept { return source_; }
    SourceLocation where(const YAML::Mark& mark) const;
    SourceLocation where(const YAML::Node& node) const { return where(node.Mark()); }

    [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;
    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const;

private:
    std::string source_;
};

// "'text'", "a mapping", "a list" or "nothing": what the user wrote, for "expected X, got Y".
std::string describe(const YAML::Node& node);

// The closest of `candidates` to `word` when it is a plausible typo, else empty.
std::string suggest(std::string_view word, std::initializer_list<std::string_view> candidates);

// Checks that `node` is a mapping whose keys are unique scalars from `allowed`; `what` names the
// mapping in messages ("producer", "sse", "payload.random_int"). A null node (`key:` with no value)
// counts as an empty mapping.
void check_map(const Doc& doc, const YAML::Node& node, std::string_view what,
               std::initializer_list<std::string_view> allowed);

// Typed scalars; `key` names the value in messages ("sse.replay.max_events").
std::string read_string(const Doc& doc, const YAML::Node& node, std::string_view key);
std::int64_t read_int(const Doc& doc, const YAML::Node& node, std::string_view key, std::int64_t min,
                      std::int64_t max);
std::uint64_t read_uint64(const Doc& doc, const YAML::Node& node, std::string_view key);
double read_double(const Doc& doc, const YAML::Node& node, std::string_view key);
bool read_bool(const Doc& doc, const YAML::Node& node, std::string_view key);
std::chrono::microseconds read_duration(const Doc& doc, const YAML::Node& node, std::string_view key,
                                        BareUnit bare_unit = BareUnit::milliseconds);
// "2MB" (10^6), "512KiB" (2^10), "1GiB", "300B" or a plain number of bytes; at least 1.
std::uint64_t read_size(const Doc& doc, const YAML::Node& node, std::string_view key);
// A list of non-empty strings; a single string counts as a list of one.
std::vector<std::string> read_string_list(const Doc& doc, const YAML::Node& node, std::string_view key);

}  // namespace evsim::scenario::detail
