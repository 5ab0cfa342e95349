#!/usr/bin/env bash
# Ingest benchmark: signed webhook POSTs (1 event each, then 10 per POST) against
# `fenestra serve` on SQLite and on PostgreSQL (fsync on: every 200 is durable), and against a
# sink that stores nothing (the baseline: what this generator and HTTP reach on this machine).
# Prints events/s, p50/p99 of the 200, and the ratio to the baseline.
# Usage: [BACKENDS=sqlite] bench/ingest/run.sh [REQUESTS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
REQUESTS=${1:-20000}
CONCURRENCY=${2:-64}

cargo build --release --locked -q -p fenestra -p bench-ingest
BIN=target/release
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; stop_tmp_postgres; rm -rf "$work"; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "nothing on port $1" >&2; return 1; }

run_load() { # url events_per_post -> result line
  "$BIN/bench-ingest" load --url "$1" --secret s3cret --events-per-post "$2" --requests "$REQUESTS" --concurrency "$CONCURRENCY"
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

port=$(free_port)
"$BIN/bench-ingest" sink --listen "127.0.0.1:$port" & pids+=($!)
wait_port "$port"
declare -A base
for n in 1 10; do base[$n]=$(run_load "http://127.0.0.1:$port" "$n" | field events_per_s); done

start_tmp_postgres durable
printf '%-10s %-7s %12s %9s %9s %10s\n' backend events/post events/s p50_ms p99_ms vs_sink
for backend in ${BACKENDS:-sqlite postgres}; do
  if [ "$backend" = sqlite ]; then url="sqlite://$work/bench.db"; else url=$PG_TMP_URL; fi
  port=$(free_port)
  FENESTRA_LOG=warn "$BIN/fenestra" serve --listen "127.0.0.1:$port" --database-url "$url" \
    --app-secret s3cret --verify-token v & pids+=($!)
  wait_port "$port"
  for n in 1 10; do
    line=$(run_load "http://127.0.0.1:$port" "$n")
    eps=$(echo "$line" | field events_per_s)
    printf '%-10s %-7s %12s %9s %9s %9.2fx\n' "$backend" "$n" "$eps" "$(echo "$line" | field p50_ms)" \
      "$(echo "$line" | field p99_ms)" "$(awk -v a="$eps" -v b="${base[$n]}" 'BEGIN{print a/b}')"
  done
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
done
echo "sink (no storage): ${base[1]} events/s at 1 event/post, ${base[10]} at 10/post"
