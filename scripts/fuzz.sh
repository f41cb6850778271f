#!/usr/bin/env bash
# Builds the libFuzzer targets with clang 14 and runs each one.
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     default 30; CI uses a short run, see docs/fuzzing.md
# New interesting inputs go to a temporary directory; the seed corpus in core/fuzz/corpus/ is only read.
# A crash leaves its input as crash-* in the current directory and makes this script fail.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-30}
build_dir=${BUILD_DIR:-$root/build-fuzz}
CXX=${CXX:-clang++-14} cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DEVSIM_CORE_ONLY=ON -DEVSIM_FUZZ=ON -DEVSIM_TESTS=OFF -DEVSIM_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
for target in fuzz_sse_parser fuzz_file_format fuzz_scenario fuzz_dashboard_config fuzz_ws_reader; do
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "fuzz: $target for ${seconds}s"
  status=0
  "$build_dir/core/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=1024 -max_len=4096 \
    -print_final_stats=1 "$work" "$root/core/fuzz/corpus/${target#fuzz_}" >"$work.log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)' "$work.log" || true
  if [[ $status -ne 0 ]]; then
    tail -40 "$work.log" >&2
    echo "fuzz: $target FAILED" >&2
    exit 1
  fi
  rm -rf "$work" "$work.log"
done
echo "fuzz: all targets passed"
