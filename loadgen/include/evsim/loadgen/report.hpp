// The human and CI forms of a load run's results: the live progress line, the summary table at
// the end, JUnit XML with one testcase per threshold, and an HTML report with charts.
#pragma once

#include <string>

#include "evsim/loadgen/load_run.hpp"
#include "evsim/loadgen/results.hpp"

namespace evsim::loadgen {

// "  12.0s/30.0s  vus 50  open 150  pending 1  events/s 4,102  p99 3.2ms  failures 0"
std::string format_progress(const Progress& progress);

// The table printed at the end, ending with the thresholds and the overall result.
std::string format_summary(const Results& results);

// One testsuite "evsim load", one testcase per threshold (failure when breached); with no
// thresholds, one testcase that fails only when the run was interrupted.
std::string to_junit(const Results& results);

// A self-contained HTML page (inline SVG, no script, nothing fetched): thresholds, throughput,
// latency percentiles and connections over time, the latency distribution, the summary.
std::string to_html(const Results& results);

// "1.2ms", "3.40s", "850us": a microsecond value for people.
std::string format_micros(double us);

}  // namespace evsim::loadgen
