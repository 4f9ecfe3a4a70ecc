#!/usr/bin/env bash
# Measures what monitoring costs on /lettings/, tracing at 1.0 (every request a transaction with its
# spans, sent to a local receiver) against monitoring off, in one run, under two loads:
#   saturated  wrk -t1 -c64 -d10s, off and on alternating three times, medians compared: the
#              server's whole core is busy; requests/s are compared. The
#              sender only gets time the requests leave, so most transactions back off and are
#              counted as dropped (client reports) rather than slowing pages down.
#   paced      wrk -t1 -c8 -d10s with 2 ms between a connection's requests (bench/paced.lua), well
#              below capacity: every transaction should be delivered; the server's CPU time per
#              request (all threads, from /proc) shows what each one costs.
# The server is pinned to one core, wrk and the receiver to the other.
# Usage: bench/tracing.sh [SERVER_BINARY] (default build/release/oc-lettings); needs wrk, node and taskset.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$(realpath "${1:-$repo_root/build/release/oc-lettings}")"
fixture="$repo_root/tests/data/django-site.sqlite3"
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
url="http://127.0.0.1:$server_port/lettings/"
ticks_per_second="$(getconf CLK_TCK)"

# CPU seconds (user + system, all threads) the process has used.
cpu_seconds() {
  awk -v hz="$ticks_per_second" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# measure LOAD [VAR=value...]: starts the server on core 0 with the extra environment, runs the
# load (saturated|paced) after a warm-up in the same shape, and prints
# "requests/s requests cpu_seconds transactions_received transactions_dropped".
measure() {
  local load="$1"
  shift
  local shape=(-c64)
  if [[ "$load" == paced ]]; then
    shape=(-c8 -s "$repo_root/bench/paced.lua")
  fi
  cp "$fixture" "$work/db.sqlite3"
  taskset -c 1 node "$repo_root/tests/monitoring/receiver.mjs" "$receiver_port" --count >"$work/receiver.log" &
  receiver_pid=$!
  env SECRET_KEY=bench ALLOWED_HOSTS=127.0.0.1 DATABASE_URL="sqlite:///$work/db.sqlite3" \
    STATIC_ROOT="$repo_root/static" LOG_LEVEL=WARNING "$@" \
    taskset -c 0 "$binary" serve --port "$server_port" >/dev/null 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$server_port/healthz" && break
    sleep 0.1
  done
  taskset -c 1 wrk -t1 "${shape[@]}" -d2s "$url" >/dev/null  # warm-up
  local cpu_before cpu_after
  cpu_before="$(cpu_seconds "$server_pid")"
  taskset -c 1 wrk -t1 "${shape[@]}" -d10s "$url" >"$work/wrk.log"
  cpu_after="$(cpu_seconds "$server_pid")"
  kill -TERM "$server_pid"
  wait "$server_pid" || true  # flushes what is queued, with the pending client report
  server_pid=""
  kill -TERM "$receiver_pid"
  wait "$receiver_pid" || true
  receiver_pid=""
  local counts
  counts="$(grep -o '{"envelopes".*}' "$work/receiver.log" || echo '{}')"
  awk -v before="$cpu_before" -v after="$cpu_after" -v counts="$counts" '
    /Requests\/sec/ { rps = $2 }
    /requests in/ { requests = $1 }
    END {
      received = dropped = 0
      if (match(counts, /"transactions":[0-9]+/)) received = substr(counts, RSTART + 15, RLENGTH - 15)
      if (match(counts, /"droppedTransactions":[0-9]+/)) dropped = substr(counts, RSTART + 22, RLENGTH - 22)
      printf "%s %s %.2f %d %d\n", rps, requests, after - before, received, dropped
    }' "$work/wrk.log"
}

median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

tracing=(SENTRY_DSN="http://public@127.0.0.1:$receiver_port/1" SENTRY_TRACES_SAMPLE_RATE=1.0)
# Saturated: off and on alternate three times and the medians are compared, so that a burst of
# other work on this shared machine does not decide the figure.
off_runs=()
on_runs=()
for _ in 1 2 3; do
  read -r rps _ _ _ _ <<<"$(measure saturated)"
  off_runs+=("$rps")
  read -r rps _ _ sat_on_sent sat_on_dropped <<<"$(measure saturated "${tracing[@]}")"
  on_runs+=("$rps")
done
sat_off_rps="$(median "${off_runs[@]}")"
sat_on_rps="$(median "${on_runs[@]}")"
read -r paced_off_rps paced_off_requests paced_off_cpu _ _ <<<"$(measure paced)"
read -r paced_on_rps paced_on_requests paced_on_cpu paced_on_sent paced_on_dropped <<<"$(measure paced "${tracing[@]}")"

awk -v runs="off ${off_runs[*]}, on ${on_runs[*]}" -v off="$sat_off_rps" -v on="$sat_on_rps" -v sent="$sat_on_sent" -v dropped="$sat_on_dropped" \
  -v poff="$paced_off_rps" -v pon="$paced_on_rps" -v pnoff="$paced_off_requests" -v pnon="$paced_on_requests" \
  -v pcoff="$paced_off_cpu" -v pcon="$paced_on_cpu" -v psent="$paced_on_sent" -v pdropped="$paced_on_dropped" 'BEGIN {
  printf "saturated (wrk -c64, 10 s; median of 3 alternating runs: %s)\n", runs
  printf "  monitoring off:          %10.1f requests/s\n", off
  printf "  tracing at 1.0:          %10.1f requests/s\n", on
  printf "  cost of tracing:         %10.1f %% fewer requests/s (target < 10 %%)\n", (1 - on / off) * 100
  printf "  transactions:            %d received, %d dropped and reported (last run, warm-up included)\n", sent, dropped
  printf "paced (wrk -c8, 2 ms between requests, 10 s)\n"
  printf "  monitoring off:          %10.1f requests/s, %6.1f us of CPU per request\n", poff, pcoff / pnoff * 1e6
  printf "  tracing at 1.0:          %10.1f requests/s, %6.1f us of CPU per request\n", pon, pcon / pnon * 1e6
  printf "  transactions:            %d received, %d dropped and reported (warm-up included)\n", psent, pdropped
}'
