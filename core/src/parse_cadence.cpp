// parse_cadence: the command-line form of a cadence.
#include <charconv>
#include <string>
#include <vector>

#include "evsim/core/cadence.hpp"
#include "evsim/core/duration.hpp"

namespace evsim::cadence {
namespace {

constexpr std::string_view forms = "every 3s, rate 100/s, poisson 50/s, burst 10 in 100ms every 5s";

class CadenceParser {
public:
    explicit CadenceParser(std::string_view text) : text_(text) {
        std::size_t pos = 0;
        while (pos < text.size()) {
            if (text[pos] == ' ' || text[pos] == '\t') {
                ++pos;
                continue;
            }
            const std::size_t end = text.find_first_of(" \t", pos);
            const std::size_t token_end = end == std::string_view::npos ? text.size() : end;
            tokens_.push_back(text.substr(pos, token_end - pos));
            pos = token_end;
        }
    }

    CadenceSpec parse() const {
        if (tokens_.empty()) syntax_error("empty");
        const CadenceSpec spec = parse_form();
        try {
            validate(spec);
        } catch (const SpecError& e) {
            value_error(e.what());
        }
        return spec;
    }

private:
    CadenceSpec parse_form() const {
        const std::string_view keyword = tokens_[0];
        if (keyword == "every") {
            if (tokens_.size() != 2) syntax_error("expected 'every DURATION'");
            return FixedInterval{duration(tokens_[1])};
        }
        if (keyword == "rate" || keyword == "poisson") {
            if (tokens_.size() != 2) syntax_error("expected '" + std::string(keyword) + " NUMBER/s'");
            const double per_second = rate(tokens_[1]);
            if (keyword == "rate") return Rate{per_second};
            return Poisson{per_second};
        }
        if (keyword == "burst") {
            if (tokens_.size() != 6 || tokens_[2] != "in" || tokens_[4] != "every") {
                syntax_error("expected 'burst COUNT in DURATION every DURATION'");
            }
            return Bursts{count(tokens_[1]), duration(tokens_[3]), duration(tokens_[5])};
        }
        syntax_error("unknown cadence '" + std::string(keyword) + "'");
    }

    // "every 3x": the duration's own message says what is wrong with it.
    std::chrono::nanoseconds duration(std::string_view token) const {
        try {
            return parse_duration(token);
        } catch (const DurationError& e) {
            value_error(e.what());
        }
    }

    double rate(std::string_view token) const {
        const std::size_t slash = token.find('/');
        if (slash == std::string_view::npos) {
            syntax_error("expected a rate like 100/s, 90/m or 10/h (got '" + std::string(token) + "')");
        }
        const std::string_view number = token.substr(0, slash);
        const std::string_view unit = token.substr(slash + 1);
        // Digits and one point only: from_chars alone would also take "1e3", "inf" and "nan".
        double value = 0;
        const bool plain = !number.empty() && number.find_first_not_of("0123456789.") == std::string_view::npos;
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
        if (!plain || error != std::errc() || end != number.data() + number.size()) {
            syntax_error("'" + std::string(number) + "' is not a number");
        }
        if (unit == "s") return value;
        if (unit == "m" || unit == "min") return value / 60;
        if (unit == "h") return value / 3600;
        syntax_error("unknown rate unit '/" + std::string(unit) + "' (use /s, /m or /h)");
    }

    std::int64_t count(std::string_view token) const {
        std::int64_t value = 0;
        const bool digits = !token.empty() && token.find_first_not_of("0123456789") == std::string_view::npos;
        const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
        if (!digits || error != std::errc() || end != token.data() + token.size()) {
            syntax_error("burst count '" + std::string(token) + "' is not a whole number");
        }
        return value;
    }

    // A malformed text: the message lists the accepted forms.
    [[noreturn]] void syntax_error(const std::string& why) const {
        throw SpecError("invalid cadence '" + std::string(text_) + "': " + why + " (forms: " + std::string(forms) + ")");
    }

    // A well-formed text with a bad value: the message says what is wrong with the value.
    [[noreturn]] void value_error(const std::string& why) const {
        throw SpecError("invalid cadence '" + std::string(text_) + "': " + why);
    }

    std::string_view text_;
    std::vector<std::string_view> tokens_;
};

}  // namespace

CadenceSpec parse_cadence(std::string_view text) { return CadenceParser(text).parse(); }

}  // namespace evsim::cadence
