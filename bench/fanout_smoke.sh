#!/usr/bin/env bash
# CTest smoke test for evsim_fanout_client: against `evsim serve` on ports the system picks, 20 SSE
# and 20 WebSocket subscribers must each receive events without an error, and --idle must report
# "ready 20". Waits only for the lines the programs print, each wait bounded.
#
#   bash bench/fanout_smoke.sh EVSIM_BINARY FANOUT_CLIENT_BINARY
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: fanout_smoke.sh EVSIM FANOUT_CLIENT" >&2; exit 2; }
evsim=$1 client=$2
fail() {
    echo "fanout_smoke: $*" >&2
    exit 1
}

exec {serve_fd}< <(exec "$evsim" serve --no-fetch --no-file --sse-port 0 --ws-port 0 --interval 10ms)
serve_pid=$!
trap 'kill -TERM "$serve_pid" 2>/dev/null || true' EXIT

urls=()
while ((${#urls[@]} < 2)) && IFS= read -r -t 20 -u "$serve_fd" line; do
    [[ $line == "URL: "* ]] && urls+=("${line#URL: }")
done
((${#urls[@]} == 2)) || fail "evsim serve did not print its two URLs"

for url in "${urls[@]}"; do
    result=$("$client" "$url" --connections 20 --warmup 0.2 --duration 0.5 | tail -n 1) ||
        fail "$url: the client failed: $result"
    [[ $result == *'"errors":{"connect":0,"handshake":0,"stream":0}'* ]] || fail "$url: errors: $result"
    if ! [[ $result =~ \"events\":([0-9]+) ]] || ((BASH_REMATCH[1] == 0)); then
        fail "$url: no events: $result"
    fi

    idle=$("$client" "$url" --connections 20 --idle --hold 0.2) || fail "$url: --idle failed: $idle"
    [[ $idle == "ready 20"* ]] || fail "$url: --idle did not report ready 20: $idle"
    echo "ok $url: $result"
done
