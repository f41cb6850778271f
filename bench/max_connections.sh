#!/usr/bin/env bash
# The most concurrent SSE connections this machine holds with producer and load generator both on
# it, and the memory each side spends per connection. A process may hold 20,000 files here, so the
# connections are spread over PAIRS pairs of processes: `evsim serve` (one idle SSE producer, its own
# port) and `evsim load` (PER_PAIR VUs with one SSE source each, ramped up, then held). While they
# hold, every process's VmRSS is read; the idle RSS of a server before any client connects is the
# baseline. Prints connections opened and RSS per connection for each side (goal: 50,000 in all).
#
#   bash bench/max_connections.sh [--quick]      (from any directory)
#
# Environment: EVSIM_BIN (default build/apps/evsim), PAIRS (default 3), PER_PAIR (default 18000;
# --quick 2000), RAMP seconds (default 20), HOLD seconds (default 15).
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)
evsim=${EVSIM_BIN:-$repo_root/build/apps/evsim}
pairs=${PAIRS:-3}
per_pair=${PER_PAIR:-18000}
ramp=${RAMP:-20}
hold=${HOLD:-15}
if [[ "${1:-}" == "--quick" ]]; then per_pair=${PER_PAIR:-2000}; ramp=3; hold=3; fi

die() { echo "max_connections.sh: $*" >&2; exit 1; }
[[ -x "$evsim" ]] || die "no evsim binary at $evsim (build first, or set EVSIM_BIN)"
ulimit -n "$(ulimit -Hn)"
(( per_pair + 100 < $(ulimit -n) )) || die "PER_PAIR $per_pair does not fit the open-file limit $(ulimit -n)"

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
per() { python3 -c "print(f'{$1 / max($2, 1):.2f}')"; }

servers=() loads=() ports=()
for i in $(seq 0 $((pairs - 1))); do
    port=$(free_port)
    ports+=("$port")
    cat >"$work/serve-$i.yaml" <<YAML
producers:
  - {name: idle, type: sse, listen: $port, cadence: every 1h}
YAML
    "$evsim" serve "$work/serve-$i.yaml" --threads 1 --header-timeout 60s >"$work/serve-$i.txt" 2>&1 &
    servers+=($!)
    pids+=($!)
done
# Up once it answers (an event stream never ends: curl gives up after a second).
for i in "${!ports[@]}"; do
    for _ in $(seq 100); do
        [[ $(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:${ports[$i]}/" || true) != 000 ]] && break
        sleep 0.1
    done
done
server_idle=()
for pid in "${servers[@]}"; do server_idle+=("$(rss_kib "$pid")"); done

for i in "${!ports[@]}"; do
    cat >"$work/load-$i.yaml" <<YAML
load:
  users:
    - name: idle-subscribers
      sources: [{url: "http://127.0.0.1:${ports[$i]}/", type: sse, timeout: 30s}]
      stages: [{ramp: $per_pair, over: ${ramp}s}, {hold: ${hold}s}]
YAML
    "$evsim" load "$work/load-$i.yaml" --threads 1 --quiet --out "$work/load-$i.json" >"$work/load-$i.txt" 2>&1 &
    loads+=($!)
    pids+=($!)
done
sleep $((ramp + hold / 2))
server_rss=() load_rss=()
for pid in "${servers[@]}"; do server_rss+=("$(rss_kib "$pid")"); done
for pid in "${loads[@]}"; do load_rss+=("$(rss_kib "$pid")"); done
for pid in "${loads[@]}"; do wait "$pid" || true; done

total=0 server_delta=0 load_total=0
printf '%-5s %10s %8s %16s %16s\n' pair opened failed "server KiB/conn" "load KiB/conn"
for i in "${!ports[@]}"; do
    read -r opened failed peak < <(python3 - "$work/load-$i.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(r["counters"]["connects"], r["counters"]["connect_failures"], r["peaks"]["open"])
PY
)
    s=$(( server_rss[i] - server_idle[i] ))
    printf '%-5s %10s %8s %16s %16s\n' "$i" "$peak" "$failed" "$(per "$s" "$peak")" "$(per "${load_rss[$i]}" "$peak")"
    total=$((total + peak))
    server_delta=$((server_delta + s))
    load_total=$((load_total + load_rss[i]))
done
echo "concurrent SSE connections held: $total (goal >= 50,000)"
echo "RSS per connection: server $(per "$server_delta" "$total") KiB, load generator $(per "$load_total" "$total") KiB"
