#!/usr/bin/env bash
# Ingest against the framework a shop's developer would otherwise pick: Bottender 1.5.5 (Node,
# installed from the npm registry; it checks each POST's signature and stores nothing) and
# `fenestra serve` on SQLite with processing on (every 200 is durable), back to back under the
# same load: signed single-event POSTs from 32 connections for 10 seconds. Prints each one's
# events/s and p99, the ratio, and how long after the burst Fenestra had processed every event.
# Not part of the test suite (it needs the npm registry).
# Usage: bench/ingest/bottender.sh [SECONDS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
BURST=${1:-10}
CONCURRENCY=${2:-32}
command -v npm >/dev/null || apt_install nodejs npm
apt_install bc curl

cargo build --release --locked -q -p fenestra -p bench-ingest
BIN=$PWD/target/release
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 400); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "nothing on port $1" >&2; return 1; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
burst() { # base_url path -> result line
  "$BIN/bench-ingest" load --url "$1" --path "$2" --secret s3cret --requests 100000000 \
    --max-seconds "$BURST" --concurrency "$CONCURRENCY"
}

# The peer, installed once (its install scripts only fetch an ngrok binary it does not need here).
peer=${XDG_CACHE_HOME:-$HOME/.cache}/fenestra-bench/bottender-1.5.5
if [ ! -x "$peer/node_modules/.bin/bottender" ]; then
  mkdir -p "$peer"
  echo '{"name":"bottender-peer","private":true,"version":"0.0.0","dependencies":{"bottender":"1.5.5"}}' > "$peer/package.json"
  (cd "$peer" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
cat > "$peer/bottender.config.js" <<'JS'
module.exports = {
  channels: {
    messenger: {
      enabled: true,
      path: '/webhooks/messenger',
      pageId: '1001',
      accessToken: 'PAGE_TOKEN',
      appId: '1',
      appSecret: 's3cret',
      verifyToken: 'v',
    },
  },
};
JS
echo 'module.exports = async function App() {}; // acknowledges every event, keeps nothing' > "$peer/index.js"

port=$(free_port)
(cd "$peer" && NODE_ENV=production exec ./node_modules/.bin/bottender start --port "$port" >"$work/bottender.log" 2>&1) & pids+=($!)
wait_port "$port"
bottender=$(burst "http://127.0.0.1:$port" /webhooks/messenger)
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

port=$(free_port)
FENESTRA_LOG=warn "$BIN/fenestra" serve --listen "127.0.0.1:$port" --database-url "sqlite://$work/bench.db" \
  --app-secret s3cret --verify-token v & pids+=($!)
wait_port "$port"
fenestra=$(burst "http://127.0.0.1:$port" /webhook)
ended=$(date +%s.%N)
depth() { curl -fsS "http://127.0.0.1:$port/metrics" | sed -n 's/^fenestra_webhook_queue_depth //p'; }
while [ "$(depth)" != 0 ]; do
  if (( $(echo "$(date +%s.%N) - $ended > 600" | bc) )); then echo "backlog not processed within 600 s" >&2; exit 1; fi
  sleep 0.2
done
backlog=$(echo "$(date +%s.%N) - $ended" | bc)

eps_b=$(echo "$bottender" | field events_per_s); eps_f=$(echo "$fenestra" | field events_per_s)
printf '%-34s %10s %9s %9s\n' "$BURST s burst, $CONCURRENCY connections" events/s p50_ms p99_ms
printf '%-34s %10s %9s %9s\n' "Bottender 1.5.5 (stores nothing)" "$eps_b" "$(echo "$bottender" | field p50_ms)" "$(echo "$bottender" | field p99_ms)"
printf '%-34s %10s %9s %9s\n' "fenestra serve, SQLite, processing" "$eps_f" "$(echo "$fenestra" | field p50_ms)" "$(echo "$fenestra" | field p99_ms)"
printf 'ratio: %.2fx Bottender; every event processed %.1f s after the burst ended\n' \
  "$(echo "$eps_f / $eps_b" | bc -l)" "$backlog"
