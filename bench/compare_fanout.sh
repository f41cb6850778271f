#!/usr/bin/env bash
# Producer fan-out: evsim serve against a Node.js reference peer (bench/peers/: node's http module
# for SSE, the `ws` package for WebSocket), measured one server at a time so they never compete for
# the cores. For each server:
#   push  N subscribers, one value per --interval (1 ms: 1,000 events/s each): delivered events/s,
#         the server's CPU while counting
#   idle  M idle subscribers: the server's VmRSS before connecting and once all are ready, per connection
# and a table with evsim's figure, the peer's and their ratio.
#
#   bash bench/compare_fanout.sh [--quick]      (from any directory)
#
# --quick: 200 push subscribers for 2 s, 2,000 idle ones (under a minute); default 1,000 for 10 s and
# 10,000 idle.
#
# Environment:
#   EVSIM_BIN          evsim binary to measure (default: built in FANOUT_BUILD_DIR)
#   FANOUT_CLIENT      evsim_fanout_client binary (default: built in FANOUT_BUILD_DIR)
#   FANOUT_BUILD_DIR   build tree for both (default build-fanout/ in the repository; Release)
#   FANOUT_INTERVAL    push interval (default 1ms)
#   FANOUT_RESULTS     also write the raw results, one JSON line per measurement, to this file
#
# Exits non-zero when a server or the client cannot be started, a wait times out, or a measurement
# has no result; connection errors are reported in the table, not fatal.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)
peers_dir="$script_dir/peers"
started_at=$SECONDS

die() {
    echo "compare_fanout.sh: $*" >&2
    exit 1
}

quick=0
case "${1:-}" in
    "") ;;
    --quick) quick=1 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *) echo "compare_fanout.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac
if ((quick)); then
    push_clients=200 push_seconds=2 warmup_seconds=0.5 idle_clients=2000 settle_seconds=1
else
    push_clients=1000 push_seconds=10 warmup_seconds=2 idle_clients=10000 settle_seconds=2
fi
interval=${FANOUT_INTERVAL:-1ms}
idle_interval=1h  # idle means idle: the one event on connect, then nothing within the test
# settle_seconds: after "ready", before reading VmRSS, so the server finishes what the last connects started

# 10,000 client sockets in one process, 10,000 server sockets in the other.
ulimit -n 20000 || die "cannot raise the open-file limit to 20000 (ulimit -n)"
command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"

# (a) The binaries: given, or a Release build of just these two targets.
build_dir=${FANOUT_BUILD_DIR:-$repo_root/build-fanout}
if [[ -z "${EVSIM_BIN:-}" || -z "${FANOUT_CLIENT:-}" ]]; then
    build_log="$build_dir/compare_fanout.build.log"
    mkdir -p "$build_dir"
    echo "building evsim and evsim_fanout_client in $build_dir (log: $build_log)" >&2
    generator=()
    [[ -f "$build_dir/CMakeCache.txt" ]] || generator=(-G Ninja)
    if ! { cmake -S "$repo_root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release &&
        cmake --build "$build_dir" --target evsim evsim_fanout_client; } >"$build_log" 2>&1; then
        tail -n 30 "$build_log" >&2
        die "build failed"
    fi
fi
evsim_bin=${EVSIM_BIN:-$build_dir/apps/evsim}
client_bin=${FANOUT_CLIENT:-$build_dir/bench/evsim_fanout_client}
[[ -x "$evsim_bin" ]] || die "evsim not found or not executable: $evsim_bin"
[[ -x "$client_bin" ]] || die "evsim_fanout_client not found or not executable: $client_bin"

# (b) The peer's one dependency, exactly as package-lock.json pins it.
if [[ ! -d "$peers_dir/node_modules/ws" ]]; then
    echo "installing the peer's packages (npm ci)" >&2
    (cd "$peers_dir" && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed in $peers_dir"
fi

# Other work on the machine takes cores from the servers and the client alike: say how busy it was.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
(($(cut -d. -f1 /proc/loadavg) < 1)) ||
    echo "compare_fanout.sh: warning: load average $load_before before starting; figures will be low" >&2

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/evsim-fanout.XXXXXX")
results="$work_dir/results.jsonl"
live_pids=()
cleanup() {
    local pid
    for pid in "${live_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Reads lines from fd $1 until one matches $2; prints it. Fails after $3 seconds or at end of output.
wait_for_line() {
    local fd=$1 pattern=$2 deadline=$((SECONDS + $3)) line
    while ((SECONDS < deadline)); do
        IFS= read -r -t $((deadline - SECONDS)) -u "$fd" line || return 1
        if [[ $line =~ $pattern ]]; then
            printf '%s\n' "$line"
            return 0
        fi
    done
    return 1
}

# Stops $1 with SIGTERM and waits (bounded) for it to go; SIGKILL if it does not.
stop_process() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}

# Drops $1 from live_pids, so cleanup never signals a reused process id.
forget_pid() {
    local kept=() p
    for p in "${live_pids[@]}"; do [[ $p == "$1" ]] || kept+=("$p"); done
    live_pids=("${kept[@]}")
}

# user+system CPU seconds of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks).
cpu_seconds() {
    local stat
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) }  # the command name may hold spaces; the fields after it do not
    read -r -a fields <<<"$stat"
    echo "scale=3; (${fields[11]} + ${fields[12]}) / $(getconf CLK_TCK)" | bc
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# Starts a server (command in "$@", label in $1) and sets server_pid, server_fd and server_url.
start_server() {
    local label=$1 line
    shift
    exec {server_fd}< <(exec "$@" 2>>"$work_dir/$label.stderr")
    server_pid=$!
    live_pids+=("$server_pid")
    line=$(wait_for_line "$server_fd" '^URL: ' 20) ||
        die "$label did not print its URL within 20 s; its stderr: $(tail -n 5 "$work_dir/$label.stderr")"
    server_url=${line#URL: }
}

stop_server() {
    stop_process "$server_pid"
    exec {server_fd}<&-
}

# Appends one result line: the client's JSON plus what the script measured about the server.
record() {  # server test client_json extra_json
    node -e 'const [s, t, c, x] = process.argv.slice(1);
             console.log(JSON.stringify({server: s, test: t, ...JSON.parse(c), ...JSON.parse(x)}))' \
        "$1" "$2" "$3" "$4" >>"$results"
}

# push: N subscribers, count what arrives; the server's CPU between "measuring" and the result.
measure_push() {  # server test
    local client_fd client_pid cpu0 cpu1 t0 t1 json
    exec {client_fd}< <(exec "$client_bin" "$server_url" --connections "$push_clients" \
        --warmup "$warmup_seconds" --duration "$push_seconds" 2>>"$work_dir/client.stderr")
    client_pid=$!
    live_pids+=("$client_pid")
    wait_for_line "$client_fd" '^measuring ' 120 >/dev/null || die "$1 $2: the client did not start measuring"
    cpu0=$(cpu_seconds "$server_pid") t0=$(date +%s.%N)
    json=$(wait_for_line "$client_fd" '^\{' $((${push_seconds%.*} + 30))) || die "$1 $2: no result from the client"
    cpu1=$(cpu_seconds "$server_pid") t1=$(date +%s.%N)
    wait "$client_pid" 2>/dev/null || true
    forget_pid "$client_pid"
    exec {client_fd}<&-
    record "$1" "$2" "$json" "{\"server_cpu_percent\": $(echo "scale=1; 100 * ($cpu1 - $cpu0) / ($t1 - $t0)" | bc)}"
}

# idle: M subscribers held; VmRSS before connecting and after all are ready (plus a short settle).
measure_idle() {  # server test
    local client_fd client_pid rss0 rss1 json
    rss0=$(rss_kib "$server_pid")
    exec {client_fd}< <(exec "$client_bin" "$server_url" --connections "$idle_clients" --idle \
        2>>"$work_dir/client.stderr")
    client_pid=$!
    live_pids+=("$client_pid")
    wait_for_line "$client_fd" '^ready ' 180 >/dev/null || die "$1 $2: the client's connections were not ready in 180 s"
    sleep "$settle_seconds"
    rss1=$(rss_kib "$server_pid")
    kill -TERM "$client_pid"
    json=$(wait_for_line "$client_fd" '^\{' 30) || die "$1 $2: no result from the client"
    wait "$client_pid" 2>/dev/null || true
    forget_pid "$client_pid"
    exec {client_fd}<&-
    record "$1" "$2" "$json" "{\"rss_before_kib\": $rss0, \"rss_after_kib\": $rss1}"
}

peer_sse=(node "$peers_dir/sse_server.mjs")
peer_ws=(node "$peers_dir/ws_server.mjs")
evsim_sse=("$evsim_bin" serve --no-fetch --no-file --no-ws --sse-port 0)
evsim_ws=("$evsim_bin" serve --no-fetch --no-file --no-sse --ws-port 0)

run_test() {  # server test measure command...
    local server=$1 test=$2 measure=$3 interval_flag=$interval
    shift 3
    [[ $measure == measure_idle ]] && interval_flag=$idle_interval
    echo "$server $test..." >&2
    start_server "$server-$test" "$@" --interval "$interval_flag"
    "$measure" "$server" "$test"
    stop_server
}

for server in evsim peer; do
    [[ $server == evsim ]] && sse=("${evsim_sse[@]}") ws=("${evsim_ws[@]}") || sse=("${peer_sse[@]}") ws=("${peer_ws[@]}")
    run_test "$server" sse_push measure_push "${sse[@]}"
    run_test "$server" ws_push measure_push "${ws[@]}"
    run_test "$server" sse_idle measure_idle "${sse[@]}"
    run_test "$server" ws_idle measure_idle "${ws[@]}"
done

[[ -z "${FANOUT_RESULTS:-}" ]] || cp "$results" "$FANOUT_RESULTS"
node "$script_dir/fanout_report.mjs" "$results" --push-clients "$push_clients" --interval "$interval" \
    --load "$load_before / $(cut -d' ' -f1-3 /proc/loadavg)" \
    --ws-version "$(node -p 'require(process.argv[1]).version' "$peers_dir/node_modules/ws/package.json")"
echo "compare_fanout.sh: done in $((SECONDS - started_at)) s" >&2
