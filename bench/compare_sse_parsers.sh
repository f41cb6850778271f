#!/usr/bin/env bash
# Compares evsim's SSE parser with eventsource-parser (the npm package most JavaScript SSE clients
# use) on byte-identical streams, and prints events/s for both and their ratio.
#
#   bash bench/compare_sse_parsers.sh            (from any directory)
#
# Environment:
#   EVSIM_PARSE_FILE   path of an already built evsim_parse_file; when unset the script configures
#                      and builds one in build-bench/ (Release, core only: the tool needs nothing else)
#   COMPARE_REPEAT     timed passes per measurement (default 10); each implementation also gets
#                      COMPARE_WARMUP untimed passes first (default 2) so V8's JIT has optimised it
#   COMPARE_ROUNDS     measurements per implementation, stream and chunk size (default 5); the
#                      table shows the best, since on a shared machine other work only slows a run
#
# Exits non-zero if, in any measurement, either parser counts a different number of events than the
# stream holds (and so than the other parser): a parser that drops events would otherwise look fast.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/.." && pwd)
compare_dir="$script_dir/parser_compare"
repeat=${COMPARE_REPEAT:-10}
warmup=${COMPARE_WARMUP:-2}
rounds=${COMPARE_ROUNDS:-5}

die() {
    echo "compare_sse_parsers.sh: $*" >&2
    exit 1
}

command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"

# (a) evsim's side: a given binary, or a Release build of it.
if [[ -n "${EVSIM_PARSE_FILE:-}" ]]; then
    parse_file=$EVSIM_PARSE_FILE
else
    build_dir="$repo_root/build-bench"
    build_log="$build_dir/compare_sse_parsers.build.log"
    mkdir -p "$build_dir"
    echo "building evsim_parse_file in $build_dir (log: $build_log)" >&2
    if ! { cmake -S "$repo_root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DEVSIM_CORE_ONLY=ON -DEVSIM_TESTS=OFF &&
        cmake --build "$build_dir" --target evsim_parse_file -j "$(nproc)"; } >"$build_log" 2>&1; then
        tail -n 30 "$build_log" >&2
        die "building evsim_parse_file failed"
    fi
    parse_file="$build_dir/bench/evsim_parse_file"
fi
[[ -x "$parse_file" ]] || die "evsim_parse_file not found or not executable: $parse_file"

# (b) eventsource-parser's side, installed exactly as package-lock.json pins it.
if [[ ! -d "$compare_dir/node_modules/eventsource-parser" ]]; then
    echo "installing eventsource-parser (npm ci)" >&2
    (cd "$compare_dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
esp_version=$(node -p 'require(process.argv[1]).version' "$compare_dir/node_modules/eventsource-parser/package.json")

# (c) the input streams, written once by evsim's encoder so both parsers read the same bytes.
# Each is 7-9 MB: large enough that a pass takes tens of milliseconds even for the faster parser.
work_dir=$(mktemp -d "${TMPDIR:-/tmp}/evsim-sse-compare.XXXXXX")
trap 'rm -rf -- "$work_dir"' EXIT
declare -A event_count=([small]=100000 [large]=128 [multiline]=8000 [crlf]=100000)
streams=(small large multiline crlf)
for stream in "${streams[@]}"; do
    "$parse_file" --generate "$stream" "${event_count[$stream]}" "$work_dir/$stream.sse"
done

# Pulls one numeric field out of the single-line JSON both tools print.
json_field() {
    sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<<"$1"
}

# Runs one implementation once and checks its event count. Prints its events/s.
# Usage: measure IMPL FILE CHUNK EXPECTED_EVENTS
measure() {
    local impl=$1 file=$2 chunk=$3 expected=$4 line events
    case "$impl" in
    evsim) line=$("$parse_file" "$file" --chunk "$chunk" --repeat "$repeat" --warmup "$warmup") ;;
    eventsource-parser) line=$(node "$compare_dir/parse_file.mjs" "$file" --chunk "$chunk" --repeat "$repeat" --warmup "$warmup") ;;
    # The same, with the UTF-8 decoding a JavaScript client must do (TextDecoder) inside the timing:
    # bytes in, events out, as evsim is measured.
    eventsource-parser+decode) line=$(node "$compare_dir/parse_file.mjs" "$file" --chunk "$chunk" --repeat "$repeat" \
        --warmup "$warmup" --time-decode) ;;
    esac
    events=$(json_field "$line" events)
    if [[ "$events" != "$expected" ]]; then
        echo "MISMATCH: $impl counted $events events in $(basename "$file") with chunk $chunk," \
            "the stream holds $expected over $repeat passes" >&2
        mismatches=$((mismatches + 1))
    fi
    json_field "$line" events_per_s
}

# The larger of two numbers (events/s), for best-of-rounds.
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

# (d) and (e): both parsers on each stream and chunk size, alternating so a burst of load from
# elsewhere hits both, best of $rounds rounds each; one table row per stream and chunk size.
echo "evsim_parse_file vs eventsource-parser $esp_version (node $(node --version));" \
    "best of $rounds rounds of $repeat timed passes after $warmup warm-up passes"
printf '%-10s %6s %6s %16s %24s %7s %20s %7s\n' stream chunk MB "evsim events/s" "eventsource-parser ev/s" ratio \
    "esp+decode ev/s" ratio
mismatches=0
for stream in "${streams[@]}"; do
    file="$work_dir/$stream.sse"
    expected=$((event_count[$stream] * repeat))
    megabytes=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
    for chunk in 64 65536; do
        evsim_rate=0
        esp_rate=0
        decode_rate=0
        for ((round = 0; round < rounds; round++)); do
            # Not $(measure ...): a subshell would lose the mismatch count.
            measure evsim "$file" "$chunk" "$expected" >"$work_dir/rate"
            evsim_rate=$(max "$evsim_rate" "$(<"$work_dir/rate")")
            measure eventsource-parser "$file" "$chunk" "$expected" >"$work_dir/rate"
            esp_rate=$(max "$esp_rate" "$(<"$work_dir/rate")")
            measure eventsource-parser+decode "$file" "$chunk" "$expected" >"$work_dir/rate"
            decode_rate=$(max "$decode_rate" "$(<"$work_dir/rate")")
        done
        ratio=$(awk -v a="$evsim_rate" -v b="$esp_rate" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
        decode_ratio=$(awk -v a="$evsim_rate" -v b="$decode_rate" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
        printf '%-10s %6s %6s %16s %24s %7s %20s %7s\n' "$stream" "$chunk" "$megabytes" "$evsim_rate" "$esp_rate" \
            "$ratio" "$decode_rate" "$decode_ratio"
    done
done

if ((mismatches > 0)); then
    die "$mismatches measurement(s) counted the wrong number of events: the figures above are not comparable"
fi
