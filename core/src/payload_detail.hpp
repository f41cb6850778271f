// Internal pieces of the payload generators, shared by payload*.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "evsim/core/payload.hpp"

namespace evsim::payload::detail {

// --- formatting (payload_format.cpp) ---

// Longest output of append_int: "-9223372036854775808".
inline constexpr std::size_t max_int_chars = 20;
// Longest output of append_fixed for |value| <= 2 * max_magnitude: sign, 16 digits, '.', decimals.
inline constexpr std::size_t max_fixed_chars(int decimals) { return 18 + static_cast<std::size_t>(decimals); }

void append_int(std::string& out, std::int64_t value);

// `value` rounded to exactly `decimals` decimals, no exponent, no locale; never "-0.00".
void append_fixed(std::string& out, double value, int decimals);

// `text` escaped as the content of a JSON string (without the quotes), as JSON.stringify does it:
// \" \\ \b \f \n \r \t, other control characters as \u00xx. `text` is valid UTF-8 (guaranteed by the
// generators), so every other byte is copied as it is.
void append_json_escaped(std::string& out, std::string_view text);

// A number for an error message: the shortest text that reads back as `value` ("1e+20", "0.5", "inf").
std::string describe(double value);
std::string describe(std::int64_t value);

// --- checks shared by the generators (payload_format.cpp) ---

// Throws SpecError("<generator>: <parameter> must be ... (got ...)") unless `value` is finite and
// within max_magnitude.
void check_real(std::string_view generator, std::string_view parameter, double value);
void check_decimals(std::string_view generator, int decimals);
// Throws unless `text` is valid UTF-8; `what` names it ("constant: text").
void check_utf8(std::string_view what, std::string_view text);

// --- factories: check the spec (throwing SpecError) and build ---

std::unique_ptr<Generator> make_scalar(const RandomInt& spec, std::uint64_t seed);
std::unique_ptr<Generator> make_scalar(const RandomFloat& spec, std::uint64_t seed);
std::unique_ptr<Generator> make_scalar(const RandomWalk& spec, std::uint64_t seed);
std::unique_ptr<Generator> make_scalar(const Sine& spec, std::uint64_t seed);
std::unique_ptr<Generator> make_scalar(const Counter& spec, std::uint64_t seed);
std::unique_ptr<Generator> make_scalar(const Constant& spec, std::uint64_t seed);

// `depth` is the nesting level of `spec` (0 at the top), checked against max_nesting.
std::unique_ptr<Generator> make_any(const GeneratorSpec& spec, std::uint64_t seed, const Clock& clock,
                                    std::size_t depth);
std::unique_ptr<Generator> make_template(const JsonTemplate& spec, std::uint64_t seed, const Clock& clock,
                                         std::size_t depth);
std::unique_ptr<Generator> make_pad(const PadTo& spec, std::uint64_t seed, const Clock& clock, std::size_t depth);

}  // namespace evsim::payload::detail
