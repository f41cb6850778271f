// Typed readers over yaml-cpp nodes. Numbers are parsed here with from_chars rather than with
// yaml-cpp's as<T>(), which accepts things like "0x10" or " 5" and reports failures without a
// usable message.
#include "scenario_yaml.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

namespace evsim::scenario::detail {

SourceLocation Doc::where(const YAML::Mark& mark) const {
    // yaml-cpp marks are 0-based; a null mark (an empty document) is reported at the file's start.
    if (mark.is_null()) return {source_, 1, 1};
    return {source_, mark.line + 1, mark.column + 1};
}

void Doc::fail(const YAML::Node& node, const std::string& message) const { fail(node.Mark(), message); }

void Doc::fail(const YAML::Mark& mark, const std::string& message) const {
    throw ScenarioError(where(mark), message);
}

std::string describe(const YAML::Node& node) {
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    if (node.IsScalar()) {
        std::string text = node.Scalar();
        if (text.size() > 40) text = text.substr(0, 37) + "...";
        return "'" + text + "'";
    }
    return "nothing";
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string suggest(std::string_view word, std::initializer_list<std::string_view> candidates) {
    // A third of the word's length (at least 1, at most 3) catches typos and transpositions without
    // suggesting unrelated keys for short words.
    const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
    std::string best;
    std::size_t best_distance = limit + 1;
    for (std::string_view candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

void check_map(const Doc& doc, const YAML::Node& node, std::string_view what,
               std::initializer_list<std::string_view> allowed) {
    if (node.IsNull()) return;
    if (!node.IsMap()) doc.fail(node, std::string(what) + ": expected a mapping, got " + describe(node));
    // yaml-cpp keeps both entries of a repeated key and node[key] finds the first: the second would
    // be silently ignored, so it is an error.
    std::set<std::string, std::less<>> seen;
    for (const auto& entry : node) {
        const YAML::Node& key = entry.first;
        if (!key.IsScalar()) doc.fail(key, std::string(what) + ": keys must be plain names, got " + describe(key));
        const std::string& name = key.Scalar();
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            std::string message = "unknown key '" + name + "' in " + std::string(what);
            const std::string hint = suggest(name, allowed);
            if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
            doc.fail(key, message);
        }
        if (!seen.insert(name).second) doc.fail(key, "duplicate key '" + name + "' in " + std::string(what));
    }
}

std::string read_string(const Doc& doc, const YAML::Node& node, std::string_view key) {
    if (!node.IsScalar()) doc.fail(node, std::string(key) + ": expected a string, got " + describe(node));
    return node.Scalar();
}

std::int64_t read_int(const Doc& doc, const YAML::Node& node, std::string_view key, std::int64_t min,
                      std::int64_t max) {
    const std::string expected =
        std::string(key) + ": expected an integer from " + std::to_string(min) + " to " + std::to_string(max);
    if (!node.IsScalar()) doc.fail(node, expected + ", got " + describe(node));
    const std::string& text = node.Scalar();
    std::int64_t value = 0;
    const char* begin = text.data();
    if (!text.empty() && text.front() == '+') ++begin;  // "+5" is valid YAML for 5
    const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        doc.fail(node, expected + ", got " + describe(node));
    return value;
}

std::uint64_t read_uint64(const Doc& doc, const YAML::Node& node, std::string_view key) {
    const std::string expected = std::string(key) + ": expected an integer from 0 to 18446744073709551615";
    if (!node.IsScalar()) doc.fail(node, expected + ", got " + describe(node));
    const std::string& text = node.Scalar();
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size())
        doc.fail(node, expected + ", got " + describe(node));
    return value;
}

double read_double(const Doc& doc, const YAML::Node& node, std::string_view key) {
    const std::string expected = std::string(key) + ": expected a number";
    if (!node.IsScalar()) doc.fail(node, expected + ", got " + describe(node));
    const std::string& text = node.Scalar();
    double value = 0;
    const char* begin = text.data();
    if (!text.empty() && text.front() == '+') ++begin;
    const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
    // from_chars also reads "inf" and "nan"; no generator parameter means either.
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
        doc.fail(node, expected + ", got " + describe(node));
    return value;
}

bool read_bool(const Doc& doc, const YAML::Node& node, std::string_view key) {
    // Only true/false: YAML 1.1's yes/no/on/off surprise people ("no" as a country code).
    if (node.IsScalar() && node.Scalar() == "true") return true;
    if (node.IsScalar() && node.Scalar() == "false") return false;
    doc.fail(node, std::string(key) + ": expected true or false, got " + describe(node));
}

std::chrono::microseconds read_duration(const Doc& doc, const YAML::Node& node, std::string_view key,
                                        BareUnit bare_unit) {
    if (!node.IsScalar())
        doc.fail(node, std::string(key) + ": expected a duration like 250ms or 5s, got " + describe(node));
    try {
        return parse_duration(node.Scalar(), bare_unit);
    } catch (const DurationError& e) {
        doc.fail(node, std::string(key) + ": " + e.what());
    }
}

std::uint64_t read_size(const Doc& doc, const YAML::Node& node, std::string_view key) {
    const std::string expected = std::string(key) + ": expected a size like 2MB, 512KiB or 1000, got ";
    if (!node.IsScalar()) doc.fail(node, expected + describe(node));
    const std::string& text = node.Scalar();
    std::uint64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc{}) doc.fail(node, expected + describe(node));
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    struct Unit {
        std::string_view name;
        std::uint64_t factor;
    };
    static constexpr Unit units[] = {{"", 1},          {"B", 1},           {"KB", 1000},
                                     {"MB", 1000000},  {"GB", 1000000000}, {"KiB", 1024},
                                     {"MiB", 1 << 20}, {"GiB", 1 << 30}};
    for (const Unit& u : units) {
        if (u.name != unit) continue;
        if (number == 0) doc.fail(node, std::string(key) + ": must be at least 1 byte");
        if (number > std::numeric_limits<std::uint64_t>::max() / u.factor)
            doc.fail(node, std::string(key) + ": too large (" + text + ")");
        return number * u.factor;
    }
    doc.fail(node, expected + describe(node));
}

std::vector<std::string> read_string_list(const Doc& doc, const YAML::Node& node, std::string_view key) {
    std::vector<std::string> values;
    auto add = [&](const YAML::Node& item) {
        if (!item.IsScalar() || item.Scalar().empty())
            doc.fail(item, std::string(key) + ": expected a non-empty string, got " + describe(item));
        values.push_back(item.Scalar());
    };
    if (node.IsSequence()) {
        for (const auto& item : node) add(item);
    } else if (node.IsScalar()) {
        add(node);
    } else {
        doc.fail(node, std::string(key) + ": expected a list of strings, got " + describe(node));
    }
    return values;
}

}  // namespace evsim::scenario::detail
