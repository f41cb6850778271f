// Finding `sys_eventProviders = [` in a config.js without running it. The rest of the file is
// arbitrary JavaScript, so the scan works on tokens: the name inside a string, a template literal, a
// regular expression or a comment is not the assignment. Only what is needed to stay in step is
// tokenised; nothing is checked beyond that.
#include <array>
#include <vector>

#include "dashboard_parts.hpp"
#include "js_lexer.hpp"

namespace evsim::dashboard::detail {
namespace {

using js::Position;
using js::detail::Cursor;

// Words after which a '/' starts a regular expression, not a division.
constexpr std::array<std::string_view, 14> regex_after_words = {
    "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof",
    "yield", "await"};

// Template literal nesting (`a ${ `b ${c}` }`) beyond this is refused rather than tracked.
constexpr std::size_t max_template_depth = 64;

class Scanner {
public:
    explicit Scanner(std::string_view text) : c_(text, 0) {}

    std::size_t run() {
        while (true) {
            js::detail::skip_trivia(c_);
            if (c_.at_end()) break;
            if (const auto bracket = step()) return *bracket;
        }
        if (!templates_.empty()) Cursor::fail(templates_.back().start, "unterminated template literal");
        if (assigned_other_)
            Cursor::fail(other_at_, std::string(registry_name) +
                                        " is assigned something other than an array literal (" + other_what_ +
                                        "); evsim reads only `sys_eventProviders = [ ... ]`");
        Cursor::fail({1, 1}, "no `sys_eventProviders = [ ... ]` assignment found");
    }

private:
    struct Template {
        Position start;
        std::size_t braces = 0;  // '{' open inside the current ${ ... }
    };

    // One token; the registry's '[' offset when this token completes the assignment.
    std::optional<std::size_t> step() {
        const char b = c_.peek();
        if (b == '"' || b == '\'') {
            js::detail::read_string(c_);
            regex_allowed_ = false;
        } else if (b == '`') {
            const Position start = c_.position();
            c_.advance();
            template_text(start);
        } else if (b == '/') {
            slash();
        } else if (js::detail::whitespace_length(c_.text(), c_.offset()) == 0 && js::detail::is_identifier_start(b)) {
            return word();
        } else if (b >= '0' && b <= '9') {
            // Numbers only need skipping; BigInts, separators and exponents are all identifier-ish.
            while (js::detail::is_identifier_part(c_.peek()) || c_.peek() == '.') c_.advance();
            regex_allowed_ = false;
        } else {
            punctuation(b);
        }
        return std::nullopt;
    }

    void punctuation(char b) {
        if (!templates_.empty() && b == '{') ++templates_.back().braces;
        if (!templates_.empty() && b == '}') {
            if (templates_.back().braces == 0) {
                // The end of a ${ ... } substitution: back inside the template's text.
                const Position start = templates_.back().start;
                templates_.pop_back();
                c_.advance();
                template_text(start);
                return;
            }
            --templates_.back().braces;
        }
        c_.advance();
        regex_allowed_ = !(b == ')' || b == ']');
    }

    // Inside a template's text: up to the closing backquote, or into a ${ substitution.
    void template_text(Position start) {
        while (true) {
            if (c_.at_end()) Cursor::fail(start, "unterminated template literal");
            if (c_.peek() == '\\') {
                c_.advance(2);
            } else if (c_.peek() == '`') {
                c_.advance();
                regex_allowed_ = false;
                return;
            } else if (c_.starts_with("${")) {
                if (templates_.size() >= max_template_depth)
                    Cursor::fail(start, "template literals nested deeper than " + std::to_string(max_template_depth) +
                                            " levels");
                c_.advance(2);
                templates_.push_back({start, 0});
                regex_allowed_ = true;
                return;
            } else {
                c_.advance();
            }
        }
    }

    // Comments are gone (skip_trivia), so '/' is a division or a regular expression. Which one
    // depends on the token before, the usual heuristic of tokenisers that do not parse.
    void slash() {
        // A failed look-ahead already read to the end of this line; trying again from every '/'
        // on it would make a long line of slashes quadratic.
        if (!regex_allowed_ || c_.offset() < no_regex_until_) {
            c_.advance();
            regex_allowed_ = true;
            return;
        }
        Cursor ahead = c_;
        ahead.advance();
        bool in_class = false;
        while (!ahead.at_end() && js::detail::line_terminator_length(ahead.text(), ahead.offset()) == 0) {
            const char r = ahead.peek();
            if (r == '\\') {
                ahead.advance(2);
                continue;
            }
            ahead.advance();
            if (r == '[') in_class = true;
            else if (r == ']') in_class = false;
            else if (r == '/' && !in_class) {
                while (js::detail::is_identifier_part(ahead.peek())) ahead.advance();  // flags
                c_ = ahead;
                regex_allowed_ = false;
                return;
            }
        }
        // No end on this line: not a regular expression after all; take the '/' alone.
        no_regex_until_ = ahead.offset();
        c_.advance();
        regex_allowed_ = true;
    }

    std::optional<std::size_t> word() {
        const std::string_view name = js::detail::read_identifier(c_);
        regex_allowed_ = false;
        for (std::string_view w : regex_after_words)
            if (name == w) regex_allowed_ = true;
        if (name != registry_name) return std::nullopt;

        // `sys_eventProviders = [`, not `==`, `===` or `=>`; comments may sit between the tokens.
        Cursor ahead = c_;
        js::detail::skip_trivia(ahead);
        if (ahead.peek() != '=' || ahead.peek(1) == '=' || ahead.peek(1) == '>') return std::nullopt;
        ahead.advance();
        js::detail::skip_trivia(ahead);
        if (ahead.peek() == '[') return ahead.offset();
        if (!assigned_other_) {
            assigned_other_ = true;
            other_at_ = ahead.position();
            other_what_ = "found " + js::detail::describe_at(ahead);
        }
        return std::nullopt;
    }

    Cursor c_;
    bool regex_allowed_ = true;
    std::size_t no_regex_until_ = 0;
    std::vector<Template> templates_;
    bool assigned_other_ = false;
    Position other_at_;
    std::string other_what_;
};

}  // namespace

std::size_t find_registry(std::string_view js_text) { return Scanner(js_text).run(); }

}  // namespace evsim::dashboard::detail
