#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and run evsim's main job on its embedded default
# (the four reference emitters: fetch :8080, SSE :8081, WebSocket :8082, FILE data.tmp). Ctrl-C stops it.
# Arguments are passed to `evsim serve`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"
"$root/scripts/build.sh"
exec "${BUILD_DIR:-$root/build}/apps/evsim" serve "$@"
