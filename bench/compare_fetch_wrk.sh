#!/usr/bin/env bash
# Fetch polling throughput: `evsim load` against wrk (Debian's package), both hitting the same nginx
# static endpoint on loopback, one after the other so they never compete for the cores. Prints
# requests/s for each and evsim's ratio to wrk (goal: at least 1.0x).
#
#   bash bench/compare_fetch_wrk.sh [--quick]      (from any directory; installs nginx and wrk)
#
# Both clients use one thread and the same number of keep-alive connections. wrk sends the next
# request as soon as a response arrives (closed loop); evsim's fetch sources poll on a 1 ms schedule
# that is far above what one connection can do, so they too send back to back, and measure every
# response from its intended send time. nginx runs one worker, access log off, keep-alive unlimited.
#
# Environment: EVSIM_BIN (default build/apps/evsim), BENCH_CONNECTIONS (default 100),
# BENCH_SECONDS (default 10; --quick: 3).
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)
evsim=${EVSIM_BIN:-$repo_root/build/apps/evsim}
connections=${BENCH_CONNECTIONS:-100}
seconds=${BENCH_SECONDS:-10}
[[ "${1:-}" == "--quick" ]] && seconds=3

die() { echo "compare_fetch_wrk.sh: $*" >&2; exit 1; }
[[ -x "$evsim" ]] || die "no evsim binary at $evsim (build first, or set EVSIM_BIN)"
need=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if ((${#need[@]})); then
    sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${need[@]}" >/dev/null || die "cannot install ${need[*]}"
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
chmod 755 "$work"  # nginx workers run as another user when started by root
nginx_pid=""
cleanup() {
    [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/www" "$work/tmp"
echo 42 >"$work/www/value.txt"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    server { listen 127.0.0.1:$port; location / { root $work/www; } }
}
CONF
"$nginx_bin" -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
url="http://127.0.0.1:$port/value.txt"
for _ in $(seq 50); do curl -sf "$url" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$url" >/dev/null || die "nginx did not start (see $work/error.log)"

echo "fetch polling: $connections keep-alive connections, ${seconds}s each, one client thread, nginx 1 worker"
wrk_out=$(wrk -t1 -c"$connections" -d"${seconds}s" "$url")
wrk_rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$wrk_out")
[[ -n "$wrk_rps" ]] || die "no result from wrk: $wrk_out"

cat >"$work/load.yaml" <<YAML
load:
  users:
    - name: pollers
      sources: [{url: "$url", type: fetch, interval: 1ms, timeout: 5s}]
      stages: [{ramp: $connections}, {hold: ${seconds}s}]
YAML
"$evsim" load "$work/load.yaml" --threads 1 --quiet --out "$work/evsim.json" >"$work/evsim.txt" || true
read -r evsim_rps evsim_failed evsim_p99 < <(python3 - "$work/evsim.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["counters"]
print(f'{c["fetch_requests"] / r["elapsed_s"]:.0f} {c["fetch_failures"]} {r["histograms"]["fetch_latency_us"]["p99"]}')
PY
)
ratio=$(python3 -c "print(f'{$evsim_rps / $wrk_rps:.2f}')")
printf '%-10s %14s\n' client "requests/s"
printf '%-10s %14.0f\n' wrk "$wrk_rps"
printf '%-10s %14.0f   (failed %s, p99 from the intended send time %s us)\n' evsim "$evsim_rps" "$evsim_failed" "$evsim_p99"
echo "ratio evsim/wrk: ${ratio}x (goal >= 1.0x)"
