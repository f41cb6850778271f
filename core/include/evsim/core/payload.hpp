// Payload generators: the data of one event per call, reproducible from a seed.
//
// A scenario describes a generator with the plain structs below (a GeneratorSpec); make_generator
// checks the description and builds the Generator a producer calls once per event. Random draws come
// from std::mt19937_64 through integer and real mappings written here, not std::uniform_*_distribution,
// whose output differs between standard libraries: a seed gives the same sequence on every platform.
// docs/generators.md describes every generator, its defaults and example output.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace evsim::payload {

// Thrown by make_generator/validate; the message names the generator, the parameter and the problem,
// e.g. "random_float: decimals must be 0..9 (got 12)". Nested specs prefix their path:
// "json_template field 'temp': random_int: min (99) must not be greater than max (10)".
class SpecError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Limits that make_generator enforces.
inline constexpr std::size_t max_output_bytes = 16 * 1024 * 1024;  // per next(): the SSE parser's event limit
inline constexpr std::size_t max_template_bytes = 64 * 1024;       // json_template text
inline constexpr std::size_t max_template_fields = 256;
inline constexpr std::size_t max_nesting = 16;  // specs inside specs (template fields, pad_to)
inline constexpr int max_decimals = 9;
inline constexpr double max_magnitude = 1e15;  // every real parameter; keeps fixed-point output short

// random_int: uniform over [min, max], both ends included. The default is the reference emitters' 10..98.
struct RandomInt {
    std::int64_t min = 10;
    std::int64_t max = 98;
};

// random_float: uniform over [min, max), printed with exactly `decimals` decimals (rounded).
struct RandomFloat {
    double min = 0;
    double max = 100;
    int decimals = 2;
};

// random_walk: the first value is `start`; each later one moves by a uniform amount in [-step, step)
// and is clamped to [min, max].
struct RandomWalk {
    double start = 50;
    double step = 1;
    double min = 0;
    double max = 100;
    int decimals = 2;
};

// sine: call n (from 0) gives offset + amplitude * sin(2*pi * (n / period + phase)). `period` is the
// number of calls per cycle; `phase` is a fraction of a cycle in [0, 1) (0.25 starts at the peak).
struct Sine {
    double amplitude = 1;
    double offset = 0;
    std::int64_t period = 60;
    int decimals = 3;
    double phase = 0;
};

// counter: start, start + step, start + 2*step, ... (wraps around at the int64 limits).
struct Counter {
    std::int64_t start = 0;
    std::int64_t step = 1;
};

// constant: the same text every time (must be valid UTF-8: every transport carries events as text).
struct Constant {
    std::string text;
};

struct JsonTemplate;
struct PadTo;
struct GeneratorSpec;

// The spec structs, the alternatives of GeneratorSpec.
template <typename T>
concept SpecStruct = std::is_same_v<T, RandomInt> || std::is_same_v<T, RandomFloat> || std::is_same_v<T, RandomWalk> ||
                     std::is_same_v<T, Sine> || std::is_same_v<T, Counter> || std::is_same_v<T, Constant> ||
                     std::is_same_v<T, JsonTemplate> || std::is_same_v<T, PadTo>;

// A GeneratorSpec held on the heap with value semantics (copies are deep), so that specs can contain
// specs (template fields, pad_to's inner generator). It converts from a GeneratorSpec and from each
// spec struct: `pad.inner = payload::Counter{};`. Default-constructed it holds RandomInt{}; a moved-from
// NestedSpec may only be assigned or destroyed.
class NestedSpec {
public:
    NestedSpec();
    NestedSpec(GeneratorSpec spec);  // NOLINT(google-explicit-constructor): implicit on purpose
    // Only the spec structs themselves: a constraint on "anything GeneratorSpec accepts" would depend on
    // NestedSpec's own constructors (through PadTo) while being checked.
    template <typename Spec>
        requires SpecStruct<std::remove_cvref_t<Spec>>
    NestedSpec(Spec&& spec);  // NOLINT(google-explicit-constructor)
    NestedSpec(const NestedSpec& other);
    NestedSpec(NestedSpec&& other) noexcept;
    NestedSpec& operator=(const NestedSpec& other);
    NestedSpec& operator=(NestedSpec&& other) noexcept;
    ~NestedSpec();

    const GeneratorSpec& get() const noexcept { return *spec_; }
    GeneratorSpec& get() noexcept { return *spec_; }

private:
    std::unique_ptr<GeneratorSpec> spec_;
};

struct TemplateField {
    std::string name;  // letters, digits and '_'; not seq, ts_ms or ts_us
    NestedSpec spec;
};

// json_template: JSON text whose {{name}} placeholders are replaced on every call. A placeholder is a
// whole JSON value (numbers inserted as they are, text as a quoted, escaped JSON string, a nested
// json_template as it is) or sits inside a JSON string (the value is escaped, without quotes).
// Built-ins: {{seq}} (0, 1, 2, ... per generator), {{ts_ms}} and {{ts_us}} (Unix time from the clock).
// Each field is drawn once per call, so a name used twice shows the same value twice. The text must be
// valid JSON once placeholders are replaced, and every field must be used.
struct JsonTemplate {
    std::string text;
    std::vector<TemplateField> fields;
};

// pad_to: the inner generator's output followed by `fill` up to `size` bytes, for payload-size
// benchmarks. Longer output is never truncated (a cut would break JSON and UTF-8). The default fill, a
// space, keeps a padded JSON document valid JSON. `fill` must be printable ASCII.
struct PadTo {
    NestedSpec inner;
    std::int64_t size = 1024;
    char fill = ' ';
};

// The description of a generator. A struct deriving from std::variant (not an alias) so that it can be
// declared ahead of the structs that contain it; std::visit, std::get and std::holds_alternative work
// on it as on the variant.
struct GeneratorSpec
    : std::variant<RandomInt, RandomFloat, RandomWalk, Sine, Counter, Constant, JsonTemplate, PadTo> {
    using variant::variant;
};

template <typename Spec>
    requires SpecStruct<std::remove_cvref_t<Spec>>
NestedSpec::NestedSpec(Spec&& spec) : NestedSpec(GeneratorSpec(std::forward<Spec>(spec))) {}

// How a json_template inserts a generator's value when the placeholder is a whole JSON value.
enum class ValueKind {
    number,  // as it is: random_int, random_float, random_walk, sine, counter
    text,    // as a JSON string: constant, pad_to
    json,    // as it is (it is JSON already): json_template
};

class Generator {
public:
    virtual ~Generator() = default;

    // Appends the next value to `out` (never clears it). Numeric generators do not allocate, beyond
    // growing `out`; a producer that reuses its buffer allocates nothing per event.
    virtual void next(std::string& out) = 0;

    virtual ValueKind kind() const noexcept = 0;

    // An upper bound on the bytes one next() appends (never above max_output_bytes), to reserve buffers.
    virtual std::size_t max_size() const noexcept = 0;
};

// The source of {{ts_ms}} and {{ts_us}}; tests pass a fake one.
using Clock = std::function<std::chrono::system_clock::time_point()>;

// Checks `spec` and builds its generator; throws SpecError. The same spec and seed give the same
// sequence. An empty `clock` means std::chrono::system_clock::now.
std::unique_ptr<Generator> make_generator(const GeneratorSpec& spec, std::uint64_t seed, Clock clock = {});

// Throws SpecError when make_generator would; for checking a scenario before running it.
void validate(const GeneratorSpec& spec);

// The seed a json_template gives its field `field_name`: SplitMix64's finaliser over `seed` and the
// 64-bit FNV-1a hash of the name. Fields get independent streams, and adding or renaming one field
// does not change the others' values.
std::uint64_t field_seed(std::uint64_t seed, std::string_view field_name) noexcept;

}  // namespace evsim::payload
