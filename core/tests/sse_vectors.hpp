// Test vectors for the event-stream parser, written by hand from the text of the WHATWG HTML
// Standard, 9.2.5 "Parsing an event stream" and 9.2.6 "Interpreting an event stream" (and the UTF-8
// decoder of the Encoding Standard), never from the parser's own output. Each names the rule it checks.
#pragma once

#include <string>
#include <vector>

#include "sse_test_support.hpp"

namespace evsim::sse::testing {

struct Vector {
    std::string name;
    std::string input;
    std::vector<Observation> expected;
    std::string final_last_event_id;
};

inline const std::vector<Vector>& spec_vectors() {
    using namespace std::string_literals;
    static const std::vector<Vector> vectors = {
        // --- Dispatch and data ---
        {"simple_message", "data: hello\n\n", {message("hello")}, ""},
        {"no_blank_line_no_dispatch", "data: hello\n", {}, ""},
        {"unterminated_last_line_discarded", "data: a\n\ndata: b", {message("a")}, ""},
        {"data_lines_joined_with_lf", "data: YHOO\ndata: +2\ndata: 10\n\n", {message("YHOO\n+2\n10")}, ""},
        {"only_one_trailing_lf_removed", "data: a\ndata:\n\n", {message("a\n")}, ""},
        {"field_without_colon_is_empty_value", "data\n\ndata\ndata\n\ndata:", {message(""), message("\n")}, ""},
        {"exactly_one_leading_space_stripped", "data:test\n\ndata: test\n\ndata:  test\n\n",
         {message("test"), message("test"), message(" test")}, ""},
        {"colon_in_value_kept", "data: a:b: c\n\n", {message("a:b: c")}, ""},
        {"space_only_value_is_empty", "data: \n\n", {message("")}, ""},
        {"blank_lines_alone_dispatch_nothing", "\n\n\n\r\n\r", {}, ""},
        {"nul_in_data_kept", "data: a\0b\n\n"s, {message("a\0b"s)}, ""},
        {"tab_is_not_stripped", "data:\tx\n\n", {message("\tx")}, ""},
        // --- Line endings ---
        {"crlf_lines", "data: a\r\ndata: b\r\n\r\n", {message("a\nb")}, ""},
        {"cr_lines", "data: a\rdata: b\r\r", {message("a\nb")}, ""},
        {"cr_then_crlf_is_two_line_ends", "data: a\r\r\n", {message("a")}, ""},
        {"crlf_then_lf_is_two_line_ends", "data: a\r\n\n", {message("a")}, ""},
        {"lf_then_cr_is_two_line_ends", "data: a\n\r", {message("a")}, ""},
        {"lf_then_crlf_is_two_line_ends", "data: a\n\r\ndata: b\n\n", {message("a"), message("b")}, ""},
        {"mixed_line_endings", "data: 1\ndata: 2\rdata: 3\r\n\r\n", {message("1\n2\n3")}, ""},
        // --- Comments ---
        {"comment_ignored", ": test stream\ndata: x\n\n", {comment(" test stream"), message("x")}, ""},
        {"empty_comment", ":\ndata: x\n\n", {comment(""), message("x")}, ""},
        {"comment_does_not_dispatch", "data: x\n:\n", {comment("")}, ""},
        // --- Field names ---
        {"field_names_case_sensitive", "Data: x\nDATA: y\nEvent: e\n\ndata: z\n\n", {message("z")}, ""},
        {"unknown_field_ignored", "foo: bar\ndata: x\nbar\n\n", {message("x")}, ""},
        {"space_before_colon_makes_unknown_field", "data : x\n\n", {}, ""},
        {"trailing_space_field_without_colon_unknown", "data \n\n", {}, ""},
        // --- Event type ---
        {"named_event", "event: add\ndata: 73857293\n\n", {message("73857293", "", "add")}, ""},
        {"event_type_reset_after_dispatch", "event: add\ndata: 1\n\ndata: 2\n\n",
         {message("1", "", "add"), message("2")}, ""},
        {"event_type_reset_when_data_empty", "event: add\n\ndata: 2\n\n", {message("2")}, ""},
        {"empty_event_type_is_message", "event:\ndata: x\n\n", {message("x")}, ""},
        {"last_event_field_wins", "event: a\nevent: b\ndata: x\n\n", {message("x", "", "b")}, ""},
        // --- Last event ID ---
        {"id_sets_last_event_id", "id: 1\ndata: x\n\n", {message("x", "1")}, "1"},
        {"id_persists_across_events", "id: 1\ndata: a\n\ndata: b\n\n", {message("a", "1"), message("b", "1")}, "1"},
        {"empty_id_resets", "id: 1\ndata: a\n\nid\ndata: b\n\nid:\ndata: c\n\n",
         {message("a", "1"), message("b", ""), message("c", "")}, ""},
        {"id_with_nul_ignored", "id: 1\ndata: a\n\nid: 2\0003\ndata: b\n\n"s, {message("a", "1"), message("b", "1")}, "1"},
        {"id_only_block_sets_last_event_id", "id: 5\n\ndata: x\n\n", {message("x", "5")}, "5"},
        {"id_of_incomplete_event_not_committed", "id: 1\ndata: a\n\nid: 2\ndata: b\n", {message("a", "1")}, "1"},
        {"id_applies_within_its_block_even_after_data", "data: x\nid: 7\n\n", {message("x", "7")}, "7"},
        {"id_keeps_spaces_after_the_first", "id:  a b \ndata: x\n\n", {message("x", " a b ")}, " a b "},
        {"spec_example_ids", ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
         {comment(" test stream"), message("first event", "1"), message("second event", ""),
          message(" third event", "")},
         ""},
        // --- Retry ---
        {"retry_digits", "retry: 1000\n", {retry(1000)}, ""},
        {"retry_leading_zeros", "retry: 0010\n", {retry(10)}, ""},
        {"retry_zero", "retry: 0\n", {retry(0)}, ""},
        {"retry_non_digit_ignored", "retry: 10a\nretry: -1\nretry: 1.5\nretry: +5\nretry: 1e3\n", {}, ""},
        {"retry_empty_ignored", "retry:\nretry\n", {}, ""},
        {"retry_second_space_ignored", "retry:  10\nretry: 10 \n", {}, ""},
        {"retry_overflow_ignored", "retry: 99999999999999999999999\n", {}, ""},
        {"retry_does_not_dispatch", "retry: 5\ndata: x\n\n", {retry(5), message("x")}, ""},
        // --- BOM ---
        {"leading_bom_stripped", "\xEF\xBB\xBF" "data: x\n\n", {message("x")}, ""},
        {"second_bom_not_stripped", "\xEF\xBB\xBF\xEF\xBB\xBF" "data: x\n\n", {}, ""},
        {"bom_mid_stream_not_stripped", "data: a\n\n\xEF\xBB\xBF" "data: b\n\n", {message("a")}, ""},
        {"bom_inside_value_kept", "data: \xEF\xBB\xBFx\n\n", {message("\xEF\xBB\xBFx")}, ""},
        {"bom_prefix_only_is_content", "\xEF\xBB" "data: x\n\n", {}, ""},
        {"bom_then_line_end", "\xEF\xBB\xBF\ndata: x\n\n", {message("x")}, ""},
        // --- UTF-8 decoding with replacement ---
        {"valid_multibyte", "data: \xE2\x82\xAC \xF0\x9F\x98\x80 N\xC4\x96URO\n\n", {message("\xE2\x82\xAC \xF0\x9F\x98\x80 N\xC4\x96URO")}, ""},
        {"invalid_byte_replaced", "data: a\xFF" "b\n\n", {message("a\xEF\xBF\xBD" "b")}, ""},
        {"truncated_sequence_one_replacement", "data: \xE2\x82\n\n", {message("\xEF\xBF\xBD")}, ""},
        {"truncated_four_byte_one_replacement", "data: \xF0\x9F\x98" "x\n\n", {message("\xEF\xBF\xBDx")}, ""},
        {"overlong_two_replacements", "data: \xC0\x80\n\n", {message("\xEF\xBF\xBD\xEF\xBF\xBD")}, ""},
        {"surrogate_three_replacements", "data: \xED\xA0\x80\n\n",
         {message("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")}, ""},
        {"above_max_four_replacements", "data: \xF4\x90\x80\x80\n\n",
         {message("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")}, ""},
        {"lone_continuation_replaced", "data: \x80\x80\n\n", {message("\xEF\xBF\xBD\xEF\xBF\xBD")}, ""},
        {"invalid_in_event_type_replaced", "event: a\xFF\ndata: x\n\n", {message("x", "", "a\xEF\xBF\xBD")}, ""},
        {"invalid_in_id_replaced", "id: \xC3\ndata: x\n\n", {message("x", "\xEF\xBF\xBD")}, "\xEF\xBF\xBD"},
        {"sequence_cut_by_line_end", "data: \xE2\ndata: \x82\xAC\n\n", {message("\xEF\xBF\xBD\n\xEF\xBF\xBD\xEF\xBF\xBD")}, ""},
        {"invalid_field_name_unknown", "d\xFF" "ata: x\n\n", {}, ""},
    };
    return vectors;
}

}  // namespace evsim::sse::testing
