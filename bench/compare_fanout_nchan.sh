#!/usr/bin/env bash
# Fan-out, side by side: `evsim serve` against nginx with the nchan module (Debian's
# libnginx-mod-nchan), both pushing the same events (a short value, at a fixed rate) to the same
# subscribers, driven and counted by `evsim load`. One server at a time, so they never compete for the
# cores. Prints delivered events/s for each, and evsim's ratio to nchan (goal: at least 1.5x), for
# SSE and for WebSocket.
#
#   bash bench/compare_fanout_nchan.sh [--quick]      (from any directory; installs nginx and nchan)
#
# The servers get one thread each (nginx: one worker; evsim serve --threads 1), the load generator
# one thread. nchan is fed by a small keep-alive HTTP publisher (Python) posting at the rate; evsim's
# producer makes its events itself at the same rate.
#
# Environment: EVSIM_BIN (default build/apps/evsim), BENCH_SUBSCRIBERS (default 1000; --quick 200),
# BENCH_RATE events/s per channel (default 1000), BENCH_SECONDS (default 10; --quick 3).
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)
evsim=${EVSIM_BIN:-$repo_root/build/apps/evsim}
subscribers=${BENCH_SUBSCRIBERS:-1000}
rate=${BENCH_RATE:-1000}
seconds=${BENCH_SECONDS:-10}
if [[ "${1:-}" == "--quick" ]]; then subscribers=${BENCH_SUBSCRIBERS:-200}; seconds=3; fi

die() { echo "compare_fanout_nchan.sh: $*" >&2; exit 1; }
[[ -x "$evsim" ]] || die "no evsim binary at $evsim (build first, or set EVSIM_BIN)"
module=/usr/lib/nginx/modules/ngx_nchan_module.so
if [[ ! -e "$module" ]] || { ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; }; then
    sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends nginx-light libnginx-mod-nchan >/dev/null ||
        die "cannot install nginx-light and libnginx-mod-nchan"
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d)
chmod 755 "$work"  # nginx workers run as another user when started by root
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Up once it answers anything (an event stream never ends: curl gives up after a second).
wait_http() {
    for _ in $(seq 100); do
        [[ $(curl -s -o /dev/null -m 1 -w '%{http_code}' "$1" || true) != 000 ]] && return 0
        sleep 0.1
    done
    return 1
}

# Plays `subscribers` VUs with one source each at URL for `seconds` and prints delivered events/s.
drive() {
    local url=$1 type=$2 name=$3
    cat >"$work/$name.yaml" <<YAML
load:
  users:
    - name: subscribers
      sources: [{url: "$url", type: $type}]
      stages: [{ramp: $subscribers}, {hold: ${seconds}s}]
YAML
    "$evsim" load "$work/$name.yaml" --threads 1 --quiet --out "$work/$name.json" >"$work/$name.txt" || true
    python3 - "$work/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["counters"]
# Delivered events/s over the hold, after every subscriber connected.
print(f'{c["events"] / r["elapsed_s"]:.0f} {c["connects"]} {c["connect_failures"]}')
PY
}

# --- nchan -------------------------------------------------------------------------------------
port=$(free_port)
mkdir -p "$work/tmp"
cat >"$work/nginx.conf" <<CONF
load_module $module;
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log;
worker_rlimit_nofile 65536;
events { worker_connections 65536; }
http {
    access_log off;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    server {
        listen 127.0.0.1:$port;
        location = /pub { nchan_publisher; nchan_channel_id bench; nchan_message_buffer_length 16; }
        location = /sse { nchan_subscriber eventsource; nchan_channel_id bench; }
        location = /ws { nchan_subscriber websocket; nchan_channel_id bench; }
    }
}
CONF
"$nginx_bin" -c "$work/nginx.conf" -p "$work" &
pids+=($!)
wait_http "http://127.0.0.1:$port/pub" || die "nginx did not start (see $work/error.log)"
# The publisher: one keep-alive connection posting a short value `rate` times a second.
python3 - "$port" "$rate" 2>/dev/null <<'PY' &
import http.client, random, sys, time
port, rate = int(sys.argv[1]), float(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port)
start, n = time.monotonic(), 0
while True:
    due = start + n / rate
    now = time.monotonic()
    if due > now: time.sleep(due - now)
    conn.request("POST", "/pub", body=str(random.randint(10, 98)))
    conn.getresponse().read()
    n += 1
PY
pids+=($!)  # (killed at the end: its traceback is not an error)
read -r nchan_sse nchan_sse_open nchan_sse_failed < <(drive "http://127.0.0.1:$port/sse" sse nchan-sse)
read -r nchan_ws nchan_ws_open nchan_ws_failed < <(drive "ws://127.0.0.1:$port/ws" ws nchan-ws)
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
pids=()

# --- evsim serve ---------------------------------------------------------------------------------
sse_port=$(free_port)
ws_port=$(free_port)
cat >"$work/producers.yaml" <<YAML
producers:
  - {name: sse, type: sse, listen: $sse_port, cadence: rate $rate/s, queue: {max_messages: 4096}}
  - {name: ws, type: ws, listen: $ws_port, cadence: rate $rate/s, queue: {max_messages: 4096}}
YAML
"$evsim" serve "$work/producers.yaml" --threads 1 >"$work/serve.txt" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$sse_port/" || die "evsim serve did not start: $(cat "$work/serve.txt")"
read -r evsim_sse evsim_sse_open evsim_sse_failed < <(drive "http://127.0.0.1:$sse_port/" sse evsim-sse)
read -r evsim_ws evsim_ws_open evsim_ws_failed < <(drive "ws://127.0.0.1:$ws_port/" ws evsim-ws)

echo "fan-out: $subscribers subscribers, $rate events/s published, ${seconds}s, one server thread, one load thread"
printf '%-10s %-6s %16s %10s %8s\n' server proto "delivered ev/s" opened failed
printf '%-10s %-6s %16s %10s %8s\n' nchan sse "$nchan_sse" "$nchan_sse_open" "$nchan_sse_failed"
printf '%-10s %-6s %16s %10s %8s\n' evsim sse "$evsim_sse" "$evsim_sse_open" "$evsim_sse_failed"
printf '%-10s %-6s %16s %10s %8s\n' nchan ws "$nchan_ws" "$nchan_ws_open" "$nchan_ws_failed"
printf '%-10s %-6s %16s %10s %8s\n' evsim ws "$evsim_ws" "$evsim_ws_open" "$evsim_ws_failed"
python3 -c "
sse = $evsim_sse / max($nchan_sse, 1); ws = $evsim_ws / max($nchan_ws, 1)
print(f'ratio evsim/nchan: SSE {sse:.2f}x, WebSocket {ws:.2f}x (goal >= 1.5x)')"
