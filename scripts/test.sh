#!/usr/bin/env bash
# Quick start 2: install what is missing, build, and run the whole test suite. Exits non-zero on any
# failure. Set EVSIM_SANITIZE=1 to build and test under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh" --test
if [[ "${EVSIM_SANITIZE:-0}" == 1 ]]; then
  export BUILD_DIR=${BUILD_DIR:-$root/build-asan}
  # -O0 and line tables only (-g1): sanitizer reports keep file:line stacks, and the build, which
  # dominates CI time, is much faster than with -O2 and full debug information.
  # One CTest test per test executable (EVSIM_TEST_PER_CASE=OFF): an instrumented binary is slow to
  # start, and starting it once per case took longer than the cases.
  "$root/scripts/build.sh" -DEVSIM_SANITIZE=ON -DEVSIM_BENCH=OFF -DEVSIM_TEST_PER_CASE=OFF \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1 -DNDEBUG"
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
else
  export BUILD_DIR=${BUILD_DIR:-$root/build}
  "$root/scripts/build.sh"
fi
cd "$BUILD_DIR"
set -o pipefail
if [[ "${EVSIM_SANITIZE:-0}" == 1 ]]; then
  # Whole executables: their own one-line-per-failure output and totals ("[  PASSED  ] N tests.")
  # go into the log, where .ci/run counts the cases.
  GTEST_BRIEF=1 ctest --verbose --parallel "$(nproc)" --timeout 300 2>&1 | tee ctest.log
else
  ctest --output-on-failure --parallel "$(nproc)" --timeout 300 2>&1 | tee ctest.log
fi
