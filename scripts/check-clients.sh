#!/usr/bin/env bash
# evsim check client against the shipped third-party adapters, each with its recorded known
# deviations (conformance/adapters/*/known.yaml): CI fails when a client regresses, or when a known
# deviation goes away (then the expectations file needs updating, which the report says).
#   bash scripts/check-clients.sh [EVSIM_BINARY]    (default: build/apps/evsim)
# evsim's own client (--adapter evsim) runs in the test suite (apps/tests/check_client_cli_test.cpp).
# Needs node >= 18 and npm (scripts/bootstrap.sh --test installs them); installs the pinned packages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-$root/build/apps/evsim}"
case "$binary" in /*) ;; *) binary="$(pwd)/$binary" ;; esac
if [[ ! -x "$binary" ]]; then
  echo "check-clients: evsim binary not found or not executable: $binary" >&2
  exit 1
fi
adapters="$root/conformance/adapters"

npm_adapter="$adapters/npm-eventsource"
if [[ ! -d "$npm_adapter/node_modules" ]]; then
  (cd "$npm_adapter" && npm ci --no-audit --no-fund)
fi
echo "--- npm eventsource"
"$binary" check client --adapter "node $npm_adapter/adapter.mjs {url} {events}" \
  --expectations "$npm_adapter/known.yaml"
