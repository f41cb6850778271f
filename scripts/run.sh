#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and run evsim's main job, `evsim run`, on its
# built-in default (scenarios/quickstart.yaml: the four reference event sources under a short load
# with thresholds; about 25 seconds, exit 0 when every threshold passed).
# Arguments are passed to `evsim run` (a scenario file, --out results.json, --junit FILE, ...).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"
"$root/scripts/build.sh"
exec "${BUILD_DIR:-$root/build}/apps/evsim" run "$@"
