#!/usr/bin/env bash
# Smoke test: `evsim serve` driven by real npm clients (eventsource, ws) and node's fetch.
#   bash tests/npm-smoke/run.sh [EVSIM_BINARY]     (default: build/apps/evsim in the repo root)
# Needs node >= 18 and npm; installs the pinned packages (npm ci) on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-$root/build/apps/evsim}"
# Resolve a relative binary path against the caller's cwd before we cd away.
case "$binary" in /*) ;; *) binary="$(pwd)/$binary" ;; esac
if [[ ! -x "$binary" ]]; then
  echo "npm-smoke: evsim binary not found or not executable: $binary" >&2
  exit 1
fi
cd "$here"
if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund
fi
exec node smoke.mjs "$binary"
