#!/usr/bin/env bash
# Server memory per idle WebSocket connection: `evsim serve` with only the reference WebSocket
# emitter (one value an hour, one thread) and N connections opened and held by `evsim load`; the
# server's VmRSS before any client and while they are held, and the difference per connection.
#
#   bash bench/ws_idle_memory.sh            (N=10000; BENCH_CONNECTIONS=N to change it)
set -euo pipefail
script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
evsim=${EVSIM_BIN:-$script_dir/../build/apps/evsim}
n=${BENCH_CONNECTIONS:-10000}
[[ -x "$evsim" ]] || { echo "ws_idle_memory.sh: no evsim binary at $evsim (build first, or set EVSIM_BIN)" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
"$evsim" serve --no-fetch --no-sse --no-file --ws-port 0 --interval 1h --threads 1 >"$work/serve.out" 2>&1 &
server=$!
pids+=("$server")
url=
for _ in $(seq 100); do
    url=$(grep -o 'ws://127.0.0.1:[0-9]*' "$work/serve.out" | head -1 || true)
    [[ -n "$url" ]] && break
    sleep 0.1
done
[[ -n "$url" ]] || { echo "ws_idle_memory.sh: the server did not start" >&2; exit 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
before=$(rss)
cat >"$work/idle.yaml" <<YAML
load:
  users:
    - name: idle
      sources: [{url: "$url", type: ws}]
      stages: [{ramp: $n, over: 10s}, {hold: 30s}]
YAML
"$evsim" load "$work/idle.yaml" --threads 1 --quiet --out "$work/idle.json" >"$work/load.out" 2>&1 &
pids+=("$!")
# Held once the server has a descriptor per connection (plus its own few).
for _ in $(seq 300); do
    (( $(ls "/proc/$server/fd" | wc -l) >= n )) && break
    sleep 0.1
done
sleep 1  # the last handshakes settle
during=$(rss)
echo "connections $n: server VmRSS ${before} KiB before, ${during} KiB held, $(( (during - before) * 1024 / n )) B per connection"
