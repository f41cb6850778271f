#!/usr/bin/env bash
# evsim check client against the shipped third-party clients, each with its recorded known
# deviations (conformance/adapters/*/known.yaml): CI fails when a client regresses, or when a known
# deviation goes away (then the expectations file needs updating, which the report says). The JSON
# reports, evsim's own client's among them, go to build/client-checks/, with matrix.html comparing
# all the clients side by side.
#   bash scripts/check-clients.sh [EVSIM_BINARY]    (default: build/apps/evsim)
# evsim's own client must pass every MUST case; the test suite checks that too
# (apps/tests/check_client_cli_test.cpp). Needs node >= 18, npm and Debian's chromium
# (scripts/bootstrap.sh --test installs them); installs the pinned npm packages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-$root/build/apps/evsim}"
case "$binary" in /*) ;; *) binary="$(pwd)/$binary" ;; esac
if [[ ! -x "$binary" ]]; then
  echo "check-clients: evsim binary not found or not executable: $binary" >&2
  exit 1
fi
adapters="$root/conformance/adapters"
out="${EVSIM_CLIENT_CHECKS_DIR:-$root/build/client-checks}"
mkdir -p "$out"
status=0

echo "--- evsim listen"
"$binary" check client --adapter evsim --json "$out/evsim-listen.json" || status=1

npm_adapter="$adapters/npm-eventsource"
if [[ ! -d "$npm_adapter/node_modules" ]]; then
  (cd "$npm_adapter" && npm ci --no-audit --no-fund)
fi
echo "--- npm eventsource"
"$binary" check client --adapter "node $npm_adapter/adapter.mjs {url} {events}" \
  --name "npm eventsource $(node -p "require('$npm_adapter/node_modules/eventsource/package.json').version")" \
  --expectations "$npm_adapter/known.yaml" --json "$out/npm-eventsource.json" || status=1

chromium="${EVSIM_CHROMIUM:-/usr/bin/chromium}"
echo "--- $chromium"
"$binary" check client --browser "$chromium" --expectations "$adapters/chromium/known.yaml" \
  --json "$out/chromium.json" || status=1

"$binary" check matrix "$out/evsim-listen.json" "$out/npm-eventsource.json" "$out/chromium.json" \
  --output "$out/matrix.html"
echo "check-clients: reports and matrix.html in $out"
exit "$status"
