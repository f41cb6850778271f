// Tests for the FILE event source codec (evsim/core/file_format.hpp, specified in docs/file-format.md).
#include "evsim/core/file_format.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evsim::file_format {

// Lets GoogleTest print records in failure messages.
void PrintTo(const Record& record, std::ostream* os) {
    *os << "{event=" << testing::PrintToString(record.event) << ", data=" << testing::PrintToString(record.data)
        << "}";
}

namespace {

using Records = std::vector<Record>;
using namespace std::string_literals;

// Parses a heap copy of exactly text.size() bytes, so AddressSanitizer reports any read past the end
// (a std::string would hide one-byte overreads behind its terminator).
ParseResult parse_exact(std::string_view text, Limits limits = {}) {
    const std::vector<char> copy(text.begin(), text.end());
    return parse(std::string_view(copy.data(), copy.size()), limits);
}

std::string describe_result(const ParseResult& result) {
    return result.error ? to_string(*result.error) : std::to_string(result.records.size()) + " records, no error";
}

Records parse_records(std::string_view text, Limits limits = {}) {
    const ParseResult result = parse_exact(text, limits);
    EXPECT_TRUE(result.ok()) << "input " << testing::PrintToString(std::string(text)) << ": "
                             << describe_result(result);
    return result.records;
}

Diagnostic parse_error(std::string_view text, Limits limits = {}) {
    const ParseResult result = parse_exact(text, limits);
    EXPECT_FALSE(result.ok()) << "input " << testing::PrintToString(std::string(text)) << " parsed";
    EXPECT_TRUE(result.records.empty()) << "records must be dropped on error";
    return result.error.value_or(Diagnostic{});
}

bool is_prefix_of(const Records& prefix, const Records& whole) {
    return prefix.size() <= whole.size() && std::equal(prefix.begin(), prefix.end(), whole.begin());
}

// ---- The two forms the reference documents ----

TEST(FileFormatDocumentedForms, SampleWriterOutput) {
    EXPECT_EQ(parse_records(R"(event="temperature_file";data=42)"), (Records{{"temperature_file", "42"}}));
}

TEST(FileFormatDocumentedForms, EverySampleValue) {
    for (int value = 10; value <= 98; ++value) {
        const std::string text = R"(event="temperature_file";data=)" + std::to_string(value);
        EXPECT_EQ(parse_records(text), (Records{{"temperature_file", std::to_string(value)}})) << text;
    }
}

TEST(FileFormatDocumentedForms, DocumentationExample) {
    EXPECT_EQ(parse_records(R"(event="usermessage" data="HELLO NĖURO!")"), (Records{{"usermessage", "HELLO NĖURO!"}}));
}

// ---- Separators and spacing ----

TEST(FileFormatSeparators, EveryAcceptedSpellingOfOneRecord) {
    const std::vector<std::string> inputs = {
        R"(event="a";data=1)",       R"(event="a",data=1)",          R"(event="a" data=1)",
        "event=\"a\"\tdata=1",       "event=\"a\"\ndata=1",          "event=\"a\"\r\ndata=1",
        "event=\"a\"\rdata=1",       "event=\"a\"\v\fdata=1",        R"(event="a" ; data=1)",
        R"(event="a";;,data=1;)",    R"(;event="a";data=1;)",        "  event = \"a\" ;\n\n data\t=\t1  \n",
        R"(event=a;data=1)",         R"(event='a';data='1')",        R"(data=1;event="a")",
        R"(event="a";data="1")",     "event=\"a\"\n\n\n;data=1\n\n",
    };
    for (const std::string& input : inputs) EXPECT_EQ(parse_records(input), (Records{{"a", "1"}})) << input;
}

TEST(FileFormatSeparators, CommaEndsABareValueLikeSemicolon) {
    // `,` is a separator everywhere, so `data=1,5` is not "1,5": it is data=1 followed by a broken pair.
    const Diagnostic error = parse_error(R"(event="a";data=1,5)");
    EXPECT_EQ(error.column, 19U);
    EXPECT_NE(error.message.find("expected '=' after the key '5', found end of input"), std::string::npos)
        << error.message;
    EXPECT_EQ(parse_records(R"(event="a";data="1,5")"), (Records{{"a", "1,5"}}));
}

TEST(FileFormatSeparators, LineBreakAroundEqualsIsAnError) {
    EXPECT_EQ(parse_error("event\n=\"a\";data=1").message, "expected '=' after the key 'event', found a line break");
    EXPECT_EQ(parse_error("event=\n\"a\";data=1").message,
              "expected a value after the '=' of 'event', found a line break (an empty value is written \"\")");
}

// ---- Values ----

TEST(FileFormatValues, QuotingStyles) {
    EXPECT_EQ(parse_records(R"(event='say';data='He said "hi"')"), (Records{{"say", R"(He said "hi")"}}));
    EXPECT_EQ(parse_records(R"(event="say";data="it's")"), (Records{{"say", "it's"}}));
    EXPECT_EQ(parse_records(R"(event="e";data="")"), (Records{{"e", ""}}));
    EXPECT_EQ(parse_records(R"(event="e";data='')"), (Records{{"e", ""}}));
    EXPECT_EQ(parse_records(R"(event="e";data=" a;b,c=d ")"), (Records{{"e", " a;b,c=d "}}));
    EXPECT_EQ(parse_records("event=\"e\";data=\"a\tb\""), (Records{{"e", "a\tb"}}));  // a raw tab is text
}

TEST(FileFormatValues, BareValues) {
    EXPECT_EQ(parse_records("event=temperature;data=NĖURO"), (Records{{"temperature", "NĖURO"}}));
    EXPECT_EQ(parse_records(R"(event=e;data=C:\tmp\x)"), (Records{{"e", R"(C:\tmp\x)"}}));  // no escapes in bare
    EXPECT_EQ(parse_records("event=e;data=-1.5e+3_x"), (Records{{"e", "-1.5e+3_x"}}));
    EXPECT_EQ(parse_records("event=e;data=a/b?c&d#e:f"), (Records{{"e", "a/b?c&d#e:f"}}));
}

TEST(FileFormatValues, Escapes) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"(\")", "\""},        {R"(\')", "'"},          {R"(\\)", "\\"},        {R"(\/)", "/"},
        {R"(\b)", "\b"},        {R"(\f)", "\f"},         {R"(\n)", "\n"},        {R"(\r)", "\r"},
        {R"(\t)", "\t"},        {R"(\u0041)", "A"},      {R"(\u00e9)", "\xC3\xA9"}, {R"(\u00E9)", "\xC3\xA9"},
        {R"(\u20AC)", "\xE2\x82\xAC"}, {R"(\uFFFF)", "\xEF\xBF\xBF"}, {R"(\u0000)", "\0"s},
        {R"(\uD83D\uDE00)", "\xF0\x9F\x98\x80"}, {R"(\udbff\udfff)", "\xF4\x8F\xBF\xBF"},
        {R"(a\nb\\c\"d)", "a\nb\\c\"d"},
    };
    for (const auto& [escaped, expected] : cases) {
        EXPECT_EQ(parse_records("event=\"e\";data=\"" + escaped + "\""), (Records{{"e", expected}})) << escaped;
        EXPECT_EQ(parse_records("event=\"e\";data='" + escaped + "'"), (Records{{"e", expected}})) << escaped;
    }
}

TEST(FileFormatValues, EscapedNamesAreDecodedToo) {
    EXPECT_EQ(parse_records(R"(event="a\"b\u00e9";data=1)"), (Records{{"a\"b\xC3\xA9", "1"}}));
}

// ---- Several records ----

TEST(FileFormatRecords, SeveralRecords) {
    const Records expected = {{"a", "1"}, {"b", "two words"}, {"c", "3"}};
    EXPECT_EQ(parse_records("event=\"a\";data=1\nevent=\"b\";data=\"two words\"\nevent=\"c\";data=3"), expected);
    EXPECT_EQ(parse_records(R"(event="a";data=1;event="b";data="two words";event="c";data=3)"), expected);
    EXPECT_EQ(parse_records("event=a data=1 event=b data='two words' event=c data=3\n"), expected);
    EXPECT_EQ(parse_records(R"(data=1;event="a";event="b";data="two words";data=3;event="c")"), expected);
}

TEST(FileFormatRecords, ErrorDropsEarlierRecords) {
    const ParseResult result = parse_exact("event=\"a\";data=1\nevent=\"b\";data=\"x");
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.records.empty());
}

// ---- Unknown keys ----

TEST(FileFormatUnknownKeys, IgnoredAndReported) {
    const ParseResult result = parse_exact(R"(event="a";id=7;data=1;retry="3 s")");
    ASSERT_TRUE(result.ok()) << describe_result(result);
    EXPECT_EQ(result.records, (Records{{"a", "1"}}));
    ASSERT_EQ(result.warnings.size(), 2U);
    EXPECT_EQ(result.warnings[0],
              (Diagnostic{1, 11, 10, "expected 'event' or 'data', found the unknown key 'id' (pair ignored)"}));
    EXPECT_EQ(result.warnings[1],
              (Diagnostic{1, 23, 22, "expected 'event' or 'data', found the unknown key 'retry' (pair ignored)"}));
    EXPECT_EQ(result.dropped_warnings, 0U);
}

TEST(FileFormatUnknownKeys, KeysAreCaseSensitive) {
    const ParseResult result = parse_exact(R"(EVENT="a";Data=1)");
    EXPECT_TRUE(result.ok());
    EXPECT_TRUE(result.records.empty());
    EXPECT_EQ(result.warnings.size(), 2U);
    // A record that is only half case-correct is a half record.
    EXPECT_EQ(parse_error(R"(Event="a";data=1)").message,
              "expected 'event' for the data at 1:11, found end of input (a torn or truncated write?)");
}

TEST(FileFormatUnknownKeys, ValuesAreStillChecked) {
    EXPECT_EQ(parse_error(R"(event="a";data=1;note="oops)").column, 28U);
}

TEST(FileFormatUnknownKeys, WarningsAreBounded) {
    Limits limits;
    limits.max_warnings = 2;
    const ParseResult result = parse_exact("a=1 b=2 c=3 d=4 e=5 event=x data=y", limits);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.records, (Records{{"x", "y"}}));
    EXPECT_EQ(result.warnings.size(), 2U);
    EXPECT_EQ(result.dropped_warnings, 3U);
}

TEST(FileFormatUnknownKeys, LongKeysAreShortenedInMessages) {
    const ParseResult result = parse_exact(std::string(100, 'k') + "=1");
    ASSERT_EQ(result.warnings.size(), 1U);
    EXPECT_EQ(result.warnings[0].message,
              "expected 'event' or 'data', found the unknown key '" + std::string(32, 'k') + "...' (pair ignored)");
}

// ---- Empty input and BOM ----

TEST(FileFormatEmpty, NothingButSpaceIsZeroRecords) {
    for (const std::string& input : {""s, " \n\t\r\n "s, ";;,, ;\n"s, "\xEF\xBB\xBF"s, "\xEF\xBB\xBF\n"s}) {
        const ParseResult result = parse_exact(input);
        EXPECT_TRUE(result.ok()) << testing::PrintToString(input);
        EXPECT_TRUE(result.records.empty());
        EXPECT_TRUE(result.warnings.empty());
    }
}

TEST(FileFormatBom, SkippedAtTheStartOnly) {
    EXPECT_EQ(parse_records("\xEF\xBB\xBF" R"(event="a";data=1)"), (Records{{"a", "1"}}));
    // Columns start after the BOM; offsets count its three bytes.
    EXPECT_EQ(parse_error("\xEF\xBB\xBF" R"(event="a)"),
              (Diagnostic{1, 9, 11,
                          "unterminated quoted value starting at 1:7: expected a closing '\"', found end of input "
                          "(a torn or truncated write?)"}));
    EXPECT_EQ(parse_error("\xEF\xBB\xBF\xEF\xBB\xBF" R"(event="a";data=1)"),
              (Diagnostic{1, 1, 3, "expected a key such as 'event' or 'data', found '\xEF\xBB\xBF' (U+FEFF)"}));
    EXPECT_EQ(parse_error(R"(event="a";)" "\xEF\xBB\xBF" "data=1").column, 11U);
}

// ---- Positions ----

TEST(FileFormatPositions, LinesEndAtLfCrLfAndCr) {
    const Diagnostic error = parse_error("event=\"a\";data=1\r\nevent=\"b\";data=2\revent=\"c\"\ndata=\"x");
    EXPECT_EQ(error.line, 4U);
    EXPECT_EQ(error.column, 8U);
    EXPECT_EQ(error.offset, 52U);
    EXPECT_EQ(error.message,
              "unterminated quoted value starting at 4:6: expected a closing '\"', found end of input "
              "(a torn or truncated write?)");
}

TEST(FileFormatPositions, ColumnsCountCodePoints) {
    const Diagnostic error = parse_error("event=\"ĖĖ😀\"x");
    EXPECT_EQ(error.column, 12U);
    EXPECT_EQ(error.offset, 16U);
    EXPECT_EQ(error.message, "expected ';', ',', whitespace or end of input after the value of 'event', found 'x'");
}

TEST(FileFormatPositions, ToStringUsesLineColonColumn) {
    EXPECT_EQ(to_string(Diagnostic{3, 14, 99, "expected x, found y"}), "3:14: expected x, found y");
}

// ---- Every error path, with its position ----

struct ErrorCase {
    std::string input;
    std::size_t line;
    std::size_t column;
    std::string message;  // the exact message
};

void PrintTo(const ErrorCase& error_case, std::ostream* os) { *os << testing::PrintToString(error_case.input); }

class FileFormatErrors : public testing::TestWithParam<ErrorCase> {};

TEST_P(FileFormatErrors, ReportsPositionAndMessage) {
    const ErrorCase& expected = GetParam();
    const Diagnostic error = parse_error(expected.input);
    EXPECT_EQ(error.line, expected.line);
    EXPECT_EQ(error.column, expected.column);
    EXPECT_EQ(error.message, expected.message);
}

const std::string kTorn = " (a torn or truncated write?)";
const std::string kBareEnd = "expected ';', ',', whitespace or end of input to end the bare value, found ";
const std::string kEscapes =
    "expected an escape (\\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX), found '\\' followed by ";

INSTANTIATE_TEST_SUITE_P(
    AllPaths, FileFormatErrors,
    testing::Values(
        // Unterminated quotes: how a torn write shows.
        ErrorCase{R"(event="abc)", 1, 11,
                  "unterminated quoted value starting at 1:7: expected a closing '\"', found end of input" + kTorn},
        ErrorCase{R"(event='abc)", 1, 11,
                  "unterminated quoted value starting at 1:7: expected a closing \"'\", found end of input" + kTorn},
        ErrorCase{R"(event="a\)", 1, 10,
                  "unterminated quoted value starting at 1:7: expected a closing '\"', found end of input" + kTorn},
        ErrorCase{"event=\"a\";data=\"b\n\"", 1, 18,
                  "unterminated quoted value starting at 1:16: expected a closing '\"', found a line break "
                  "(write a line break in a value as \\n)"},
        ErrorCase{"event=\"a\";data=\"b\r\n\"", 1, 18,
                  "unterminated quoted value starting at 1:16: expected a closing '\"', found a line break "
                  "(write a line break in a value as \\n)"},
        ErrorCase{"event=\"a\x01\";data=1", 1, 9,
                  "expected text or a closing quote in the quoted value, found control character U+0001 "
                  "(write it as an escape such as \\u0000)"},
        ErrorCase{"event=\"a\x7F\";data=1", 1, 9,
                  "expected text or a closing quote in the quoted value, found control character U+007F "
                  "(write it as an escape such as \\u0000)"},
        // Escapes.
        ErrorCase{R"(event="a\q";data=1)", 1, 9, kEscapes + "'q'"},
        ErrorCase{R"(event="a\x41";data=1)", 1, 9, kEscapes + "'x'"},
        ErrorCase{R"(event="a\Ė";data=1)", 1, 9, kEscapes + "'Ė' (U+0116)"},
        ErrorCase{R"(event="a\u12";data=1)", 1, 13, "expected 4 hex digits after \\u, found '\"'"},
        ErrorCase{R"(event="a\u12G4";data=1)", 1, 13, "expected 4 hex digits after \\u, found 'G'"},
        ErrorCase{R"(event="a\u)", 1, 11, "expected 4 hex digits after \\u, found end of input"},
        ErrorCase{R"(event="\uDC00";data=1)", 1, 8,
                  "expected a code point or a high surrogate, found the lone low surrogate \\uDC00"},
        ErrorCase{R"(event="\uD83D";data=1)", 1, 14,
                  "expected a low surrogate \\uDC00-\\uDFFF after \\uD83D, found '\"'"},
        ErrorCase{R"(event="\uD83D\n";data=1)", 1, 14,
                  "expected a low surrogate \\uDC00-\\uDFFF after \\uD83D, found '\\'"},
        ErrorCase{R"(event="\uD83D\u0041";data=1)", 1, 14,
                  "expected a low surrogate \\uDC00-\\uDFFF after \\uD83D, found \\u0041"},
        ErrorCase{R"(event="\uD83D\uD83D";data=1)", 1, 14,
                  "expected a low surrogate \\uDC00-\\uDFFF after \\uD83D, found \\uD83D"},
        ErrorCase{R"(event="\uD83D)", 1, 14,
                  "expected a low surrogate \\uDC00-\\uDFFF after \\uD83D, found end of input"},
        // Records that are not whole.
        ErrorCase{"event=\"a\";data=1\nevent=\"b\"", 2, 10,
                  "expected 'data' for the event at 2:1, found end of input" + kTorn},
        ErrorCase{"data=1", 1, 7, "expected 'event' for the data at 1:1, found end of input" + kTorn},
        ErrorCase{R"(event="a";event="b";data=1)", 1, 11,
                  "expected 'data' for the event at 1:1, found a second 'event'"},
        ErrorCase{R"(data=1;data=2;event="a")", 1, 8, "expected 'event' for the data at 1:1, found a second 'data'"},
        ErrorCase{R"(event="a";data=1;data=2)", 1, 24,
                  "expected 'event' for the data at 1:18, found end of input" + kTorn},
        ErrorCase{R"(event="";data=1)", 1, 7, "expected a non-empty event name, found an empty value"},
        ErrorCase{R"(event='';data=1)", 1, 7, "expected a non-empty event name, found an empty value"},
        // Pairs.
        ErrorCase{R"(event=;data=1)", 1, 7,
                  "expected a value after the '=' of 'event', found ';' (an empty value is written \"\")"},
        ErrorCase{R"(event="a";data=)", 1, 16,
                  "expected a value after the '=' of 'data', found end of input (an empty value is written \"\")"},
        ErrorCase{R"(event="a";data= ,)", 1, 17,
                  "expected a value after the '=' of 'data', found ',' (an empty value is written \"\")"},
        ErrorCase{R"(event "a";data=1)", 1, 7, "expected '=' after the key 'event', found '\"'"},
        ErrorCase{"event=\"a\";data", 1, 15, "expected '=' after the key 'data', found end of input"},
        ErrorCase{R"("event"="a";data=1)", 1, 1, "expected a key such as 'event' or 'data', found '\"'"},
        ErrorCase{"=5", 1, 1, "expected a key such as 'event' or 'data', found '='"},
        ErrorCase{"event=\"a\";\x00" "data=1"s, 1, 11,
                  "expected a key such as 'event' or 'data', found control character U+0000"},
        ErrorCase{"event=\"a\";Ėvent=1", 1, 11, "expected a key such as 'event' or 'data', found 'Ė' (U+0116)"},
        ErrorCase{R"(event="a"data=1)", 1, 10,
                  "expected ';', ',', whitespace or end of input after the value of 'event', found 'd'"},
        ErrorCase{R"(event="a";data="x"y)", 1, 19,
                  "expected ';', ',', whitespace or end of input after the value of 'data', found 'y'"},
        ErrorCase{R"(event="a";data="x"")", 1, 19,
                  "expected ';', ',', whitespace or end of input after the value of 'data', found '\"'"},
        ErrorCase{R"(event="a";data=x=y)", 1, 17, kBareEnd + "'=' (quote a value that contains it)"},
        ErrorCase{R"(event="a";data=it's)", 1, 18, kBareEnd + "\"'\" (quote a value that contains it)"},
        ErrorCase{R"(event="a";data=ab"c")", 1, 18, kBareEnd + "'\"' (quote a value that contains it)"},
        ErrorCase{"event=\"a\";data=a\x01", 1, 17,
                  kBareEnd + "control character U+0001 (quote a value that contains it)"},
        // UTF-8.
        ErrorCase{"event=\"a\";data=\xFF", 1, 16, "expected valid UTF-8, found byte 0xFF"},
        ErrorCase{"event=\"é\";data=\xC3", 1, 16, "expected valid UTF-8, found a sequence cut off by the end of input"},
        ErrorCase{"event=\"a\";data=\xF0\x9F\x98", 1, 16,
                  "expected valid UTF-8, found a sequence cut off by the end of input"},
        ErrorCase{"event=\"a\";data=\xC0\x80", 1, 16, "expected valid UTF-8, found byte 0xC0"},
        ErrorCase{"event=\"a\";data=\xE0\x80\xAF", 1, 16, "expected valid UTF-8, found byte 0xE0"},
        ErrorCase{"event=\"a\";data=\xED\xA0\x80", 1, 16, "expected valid UTF-8, found byte 0xED"},
        ErrorCase{"event=\"a\";data=\xF4\x90\x80\x80", 1, 16, "expected valid UTF-8, found byte 0xF4"},
        ErrorCase{"event=\"a\";data=\xE2\x82(", 1, 16, "expected valid UTF-8, found byte 0xE2"},
        ErrorCase{"event=\"a\";data=\x80", 1, 16, "expected valid UTF-8, found byte 0x80"},
        ErrorCase{"event=\"a\"\ndata=\"ok\" x=\"\xFE\"", 2, 14, "expected valid UTF-8, found byte 0xFE"}));

// ---- Torn and truncated files ----

TEST(FileFormatTorn, EveryPrefixOfAQuotedFileIsAPrefixOrAnError) {
    const Records records = {{"usermessage", "HELLO NĖURO!"}, {"temperature_file", "x\"y 😀"}};
    const std::string hand_written = R"(event="usermessage" data="HELLO NĖURO!";)"
                                     R"(event='temperature_file' data='x"y \uD83D\uDE00')";
    for (const std::string& file : {write(records), hand_written}) {
        ASSERT_EQ(parse_records(file), records) << file;
        std::size_t errors = 0;
        for (std::size_t length = 0; length < file.size(); ++length) {
            const ParseResult result = parse_exact(std::string_view(file).substr(0, length));
            if (!result.ok()) {
                ++errors;
                EXPECT_TRUE(result.records.empty());
                continue;
            }
            // Not an error: then it must be exactly the records written so far, never a wrong one.
            EXPECT_TRUE(is_prefix_of(result.records, records))
                << "prefix " << length << " " << testing::PrintToString(file.substr(0, length)) << " gave "
                << testing::PrintToString(result.records);
            EXPECT_LT(result.records.size(), records.size()) << "a strict prefix cannot hold every record";
        }
        EXPECT_GT(errors, file.size() / 2) << "most cuts fall inside a record and must be errors";
    }
}

TEST(FileFormatTorn, BareDataCutShortIsTheOnlyUndetectableCase) {
    // A bare value has no closing delimiter, so a cut inside the last bare value of the prefix cannot
    // be seen: `data=98765` cut to `data=98` reads as 98. Every other cut is still a prefix of the
    // records or an error; docs/file-format.md tells writers to quote data when this matters.
    const Records records = {{"a", "12"}, {"temperature_file", "98765"}};
    const std::string file = write(records);
    ASSERT_EQ(file, "event=\"a\";data=12\nevent=\"temperature_file\";data=98765");
    struct Span {
        std::size_t begin, end;
    };
    const Span bare_values[] = {{file.find("data=") + 5, file.find('\n')}, {file.rfind("data=") + 5, file.size()}};
    std::size_t undetected = 0;
    for (std::size_t length = 0; length < file.size(); ++length) {
        const ParseResult result = parse_exact(std::string_view(file).substr(0, length));
        if (!result.ok() || is_prefix_of(result.records, records)) continue;
        ++undetected;
        // The only wrong record allowed: the last one, its data cut short inside its bare value.
        ASSERT_FALSE(result.records.empty());
        const std::size_t last = result.records.size() - 1;
        ASSERT_LT(last, records.size());
        const Span span = bare_values[last];
        ASSERT_TRUE(length > span.begin && length < span.end) << "wrong record from a cut at " << length;
        const Records before_last(result.records.begin(), result.records.end() - 1);
        EXPECT_TRUE(is_prefix_of(before_last, records));
        EXPECT_EQ(result.records[last].event, records[last].event);
        EXPECT_EQ(result.records[last].data, records[last].data.substr(0, length - span.begin));
    }
    EXPECT_EQ(undetected, 1U + 4U) << "one short cut of \"12\" and four of \"98765\"";
}

TEST(FileFormatTorn, CutsInsideMultiByteCharactersAreErrors) {
    const std::string file = "event=\"e\";data=Ė😀";
    for (const std::size_t cut : {file.size() - 1, file.size() - 2, file.size() - 3, file.size() - 5}) {
        const Diagnostic error = parse_error(std::string_view(file).substr(0, cut));
        EXPECT_EQ(error.message, "expected valid UTF-8, found a sequence cut off by the end of input");
    }
}

TEST(FileFormatTorn, InPlaceRewriteWithoutTruncate) {
    // file.py rewrites with seek(0)+write and no truncate: a shorter write leaves the old tail behind.
    const auto overwrite = [](std::string old_text, const std::string& new_text) {
        old_text.replace(0, std::min(old_text.size(), new_text.size()), new_text);
        return old_text.size() >= new_text.size() ? old_text : new_text;
    };
    // Quoted data exposes the stale tail...
    const std::string quoted = overwrite(R"(event="t";data="42")", R"(event="t";data="5")");
    EXPECT_EQ(parse_error(quoted).message,
              "expected ';', ',', whitespace or end of input after the value of 'data', found '\"'");
    // ...bare data cannot: the documented limitation of that writer.
    EXPECT_EQ(parse_records(overwrite(R"(event="t";data=42)", R"(event="t";data=5)")), (Records{{"t", "52"}}));
}

// ---- Limits ----

TEST(FileFormatLimits, Defaults) {
    const Limits limits;
    EXPECT_EQ(limits.max_input_bytes, 1048576U);
    EXPECT_EQ(limits.max_records, 10000U);
    EXPECT_EQ(limits.max_warnings, 100U);
}

TEST(FileFormatLimits, InputBytes) {
    const std::string text = R"(event="a";data=1)";
    Limits limits;
    limits.max_input_bytes = text.size();
    EXPECT_EQ(parse_records(text, limits), (Records{{"a", "1"}}));
    limits.max_input_bytes = text.size() - 1;
    EXPECT_EQ(parse_error(text, limits),
              (Diagnostic{1, 1, 0, "expected at most 15 bytes of input (Limits::max_input_bytes), found 16"}));
    limits.max_input_bytes = text.size() + 2;  // the BOM counts
    EXPECT_FALSE(parse_exact("\xEF\xBB\xBF" + text, limits).ok());
    limits.max_input_bytes = 0;
    EXPECT_TRUE(parse_exact("", limits).ok());
}

TEST(FileFormatLimits, Records) {
    Limits limits;
    limits.max_records = 3;
    const std::string three = "event=a;data=1\nevent=b;data=2\nevent=c;data=3";
    EXPECT_EQ(parse_records(three + "\nx=unknown", limits).size(), 3U);
    EXPECT_EQ(parse_error(three + "\ndata=4;event=d", limits),
              (Diagnostic{4, 1, 45, "expected at most 3 records (Limits::max_records), found another"}));
    limits.max_records = 0;
    EXPECT_EQ(parse_error("event=a;data=1", limits).message,
              "expected at most 0 records (Limits::max_records), found another");
}

TEST(FileFormatLimits, DefaultLimitsHoldAFullFile) {
    std::vector<Record> records;
    for (int i = 0; i < 10'000; ++i) records.push_back({"sensor_" + std::to_string(i % 17), std::to_string(i)});
    const std::string file = write(records);
    ASSERT_LE(file.size(), Limits{}.max_input_bytes);
    EXPECT_EQ(parse_records(file), records);
    records.push_back({"one", "more"});
    EXPECT_EQ(parse_error(write(records)).line, 10'001U);
}

// ---- Writer ----

TEST(FileFormatWriter, SampleBytes) {
    EXPECT_EQ(write(Record{"temperature_file", "42"}), R"(event="temperature_file";data=42)");
    EXPECT_EQ(write(Record{"usermessage", "HELLO NĖURO!"}), R"(event="usermessage";data="HELLO NĖURO!")");
}

TEST(FileFormatWriter, BareOnlyForTheSafeSet) {
    const std::string safe = "abcxyzABCXYZ0189.-+_";
    EXPECT_EQ(write(Record{"e", safe}), "event=\"e\";data=" + safe);
    for (char c = 0x20; c < 0x7F; ++c) {
        if (safe.find(c) != std::string::npos || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9')) {
            continue;
        }
        const std::string written = write(Record{"e", std::string("a") + c});
        EXPECT_EQ(written.substr(0, 16), "event=\"e\";data=\"") << c;
        EXPECT_EQ(written.back(), '"') << c;
    }
    EXPECT_EQ(write(Record{"e", ""}), R"(event="e";data="")");
    EXPECT_EQ(write(Record{"e", "é"}), "event=\"e\";data=\"é\"");
}

TEST(FileFormatWriter, EscapesExactly) {
    EXPECT_EQ(write(Record{"e", "a\"b\\c\nd\re\tf'g;h=i"}), R"(event="e";data="a\"b\\c\nd\re\tf'g;h=i")");
    EXPECT_EQ(write(Record{"e", "\x01\x1F\x7F"s + "\0"s}), R"(event="e";data="\u0001\u001F\u007F\u0000")");
    EXPECT_EQ(write(Record{"say \"hi\"", "1"}), R"(event="say \"hi\"";data=1)");
    EXPECT_EQ(write(Record{"NĖURO😀", "1"}), "event=\"NĖURO😀\";data=1");
}

TEST(FileFormatWriter, SeveralRecords) {
    EXPECT_EQ(write(Records{{"a", "1"}, {"b", "x y"}}), "event=\"a\";data=1\nevent=\"b\";data=\"x y\"");
    EXPECT_EQ(write(Records{}), "");
    EXPECT_EQ(write(Records{{"a", "1"}}), write(Record{"a", "1"}));
}

TEST(FileFormatWriter, RejectsWhatCannotBeRead) {
    EXPECT_THROW(write(Record{"", "1"}), std::invalid_argument);
    EXPECT_THROW(write(Record{"e\xFF", "1"}), std::invalid_argument);
    EXPECT_THROW(write(Record{"e", "\xED\xA0\x80"}), std::invalid_argument);
    EXPECT_THROW(write(Records{{"a", "1"}, {"", "2"}}), std::invalid_argument);
}

// ---- Round trip ----

// Pieces chosen to hit every branch of quoting and escaping: syntax characters, controls, escapes
// spelled out literally, and 2-, 3- and 4-byte UTF-8.
const std::vector<std::string> kPieces = {
    "a",  "Z",  "0",  "9",  ".",  "-",  "+",  "_",  " ",  "\t", "\n",     "\r",       "\r\n", "\"", "'",
    "\\", ";",  ",",  "=",  "\x01", "\x1F", "\x7F", "\0"s, "é", "Ė",    "€",        "😀",   "\u2028", "\\u",
    "\\n", "event", "data", "\xEF\xBB\xBF", "\"\"", "=\"x\";"};

std::string random_text(std::mt19937& rng, bool bare_safe_only) {
    static const std::string kSafe = "aZ09.-+_";
    std::uniform_int_distribution<int> length(0, 12);
    std::string out;
    for (int i = length(rng); i > 0; --i) {
        if (bare_safe_only) {
            out += kSafe[std::uniform_int_distribution<std::size_t>(0, kSafe.size() - 1)(rng)];
        } else {
            out += kPieces[std::uniform_int_distribution<std::size_t>(0, kPieces.size() - 1)(rng)];
        }
    }
    return out;
}

Record random_record(std::mt19937& rng) {
    Record record{random_text(rng, rng() % 4 == 0), random_text(rng, rng() % 3 == 0)};
    if (record.event.empty()) record.event = "e";
    return record;
}

TEST(FileFormatRoundTrip, SingleRecords) {
    std::mt19937 rng(20240611);
    for (int i = 0; i < 4000; ++i) {
        const Record record = random_record(rng);
        const std::string written = write(record);
        EXPECT_EQ(parse_records(written), (Records{record})) << testing::PrintToString(written);
        EXPECT_EQ(written.find('\n'), std::string::npos) << "one record is one line";
    }
}

TEST(FileFormatRoundTrip, Files) {
    std::mt19937 rng(7);
    for (int i = 0; i < 500; ++i) {
        Records records(rng() % 6);
        for (Record& record : records) record = random_record(rng);
        const std::string written = write(records);
        EXPECT_EQ(parse_records(written), records) << testing::PrintToString(written);
        EXPECT_EQ(write(parse_records(written)), written) << "the writer's form is a fixed point";
    }
}

}  // namespace
}  // namespace evsim::file_format
