#!/usr/bin/env bash
# Measures what monitoring costs: /lettings/ with tracing at 1.0 (every request a transaction with
# its spans, sent to a local receiver) against monitoring off, in one run.
# The server is pinned to one core and wrk to the other: wrk -t1 -c64 -d10s.
# Usage: bench/tracing.sh [SERVER_BINARY] (default build/release/oc-lettings); needs wrk, node and taskset.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$(realpath "${1:-$repo_root/build/release/oc-lettings}")"
fixture="$repo_root/../shared/fixtures/oc-lettings-site.sqlite3"
work="$(mktemp -d)"
server_pid=""
receiver_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  if [[ -n "$receiver_pid" ]]; then kill "$receiver_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -d "$repo_root/tests/monitoring/node_modules/@sentry/core" ]]; then
  (cd "$repo_root/tests/monitoring" && npm ci --no-audit --no-fund --loglevel=error)
fi
receiver_port=18969
server_port=18971
taskset -c 1 node "$repo_root/tests/monitoring/receiver.mjs" "$receiver_port" --count >"$work/receiver.log" &
receiver_pid=$!

# Starts the server on core 0 with extra environment ("$@"), waits for it, prints the requests/s.
measure() {
  cp "$fixture" "$work/db.sqlite3"
  env SECRET_KEY=bench ALLOWED_HOSTS=127.0.0.1 DATABASE_URL="sqlite:///$work/db.sqlite3" \
    STATIC_ROOT="$repo_root/static" LOG_LEVEL=WARNING "$@" \
    taskset -c 0 "$binary" serve --port "$server_port" >/dev/null 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$server_port/healthz" && break
    sleep 0.1
  done
  taskset -c 1 wrk -t1 -c64 -d2s "http://127.0.0.1:$server_port/lettings/" >/dev/null  # warm-up
  taskset -c 1 wrk -t1 -c64 -d10s "http://127.0.0.1:$server_port/lettings/" >"$work/wrk.log"
  awk '/Requests\/sec/ {print $2}' "$work/wrk.log"
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}

off="$(measure)"
on="$(measure SENTRY_DSN="http://public@127.0.0.1:$receiver_port/1" SENTRY_TRACES_SAMPLE_RATE=1.0)"
kill -TERM "$receiver_pid"
wait "$receiver_pid" || true
receiver_pid=""
sent="$(grep -o '"transactions":[0-9]*' "$work/receiver.log" | cut -d: -f2)"
awk -v off="$off" -v on="$on" -v sent="${sent:-0}" 'BEGIN {
  printf "monitoring off:      %10.1f requests/s\n", off
  printf "tracing at 1.0:      %10.1f requests/s\n", on
  printf "cost of tracing:     %10.1f %% fewer requests/s (target < 10 %%)\n", (1 - on / off) * 100
  printf "transactions received: %d of about %d (the rest dropped and counted: the sender yields to requests)\n", sent, on * 12
}'
