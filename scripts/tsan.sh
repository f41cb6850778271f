#!/usr/bin/env bash
# The producers tests under ThreadSanitizer, with connections spread over two io_contexts
# (EVSIM_TEST_WORKERS=1): the check for the cross-thread paths (IoPool, ShardedChannel,
# ConnectionSet, the HTTP request hand-off). Not part of CI (a third build would not fit its time);
# run it after changing anything that crosses threads. Exits non-zero on a failure or a race report.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build-tsan}
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVSIM_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
cmake --build "$build_dir" --target evsim_producers_tests --parallel "${JOBS:-$(nproc)}"
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
EVSIM_TEST_WORKERS=1 "$build_dir/producers/evsim_producers_tests" --gtest_brief=1
