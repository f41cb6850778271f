// A deliberately simple, whole-buffer implementation of the same spec algorithm, written
// independently of sse::Parser (decode everything to code points first, then split lines, then
// interpret), for differential testing. Slow and allocation-happy on purpose: obviously right beats fast.
#pragma once

#include <string_view>

#include "sse_test_support.hpp"

namespace evsim::sse::testing {

// Observations of one complete stream; comments are reported as decoded (U+FFFD-repaired) text.
ParseOutcome reference_parse(std::string_view bytes);

}  // namespace evsim::sse::testing
