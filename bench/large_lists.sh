#!/usr/bin/env bash
# Compares the public pages on the demo data (6 lettings, 4 profiles), on the demo data plus 120
# generated lettings and profiles (first list pages full: 50 cards instead of 6) and on the demo
# data plus many generated rows (default 1,000,000 lettings and 1,000,000 profiles), in one run:
# the first list pages and the detail pages should not depend on the size of the tables.
# The servers are pinned to core 0 and wrk to core 1: wrk -t1 -c64 -d10s per page and database (req/s).
# Usage: bench/large_lists.sh [SERVER_BINARY] [ROWS] (default build/release/oc-lettings, 1000000);
# needs wrk, curl and taskset. The databases live in a temporary folder, removed at the end
# (set KEEP_DATABASES=DIR to build them in DIR and keep them, and reuse them on the next run).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="$(realpath "${1:-$repo_root/build/release/oc-lettings}")"
rows="${2:-1000000}"
work="$(mktemp -d)"
databases="${KEEP_DATABASES:-$work}"
server_pids=()
cleanup() {
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$databases"

cli() {
  env SECRET_KEY=bench DATABASE_URL="sqlite:///$1" LOG_LEVEL=WARNING "$binary" "${@:2}"
}

demo="$databases/demo.sqlite3"
small="$databases/small-120.sqlite3"
large="$databases/large-$rows.sqlite3"
if [[ ! -f "$demo" ]]; then
  cli "$demo" migrate >/dev/null
  cli "$demo" loaddata "$repo_root/fixtures/demo.json" >/dev/null
fi
if [[ ! -f "$small" ]]; then
  cp "$demo" "$small"
  cli "$small" generate --lettings 120 --profiles 120 >/dev/null
fi
if [[ ! -f "$large" ]]; then
  cp "$demo" "$large"
  start=$(date +%s.%N)
  cli "$large" generate --lettings "$rows" --profiles "$rows"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "generate: %.1f s in total\n", e - s }'
  du -h "$large" | awk '{ print "database size: " $1 }'
fi

demo_port=18973
small_port=18976
large_port=18977
server_pids=()
# Starts a server on core 0 for database $1 on port $2 and waits until it answers.
start_server() {
  env SECRET_KEY=bench ALLOWED_HOSTS=127.0.0.1 DATABASE_URL="sqlite:///$1" \
    STATIC_ROOT="$repo_root/static" LOG_LEVEL=WARNING \
    taskset -c 0 "$binary" serve --port "$2" >/dev/null 2>>"$work/server.log" &
  server_pids+=($!)
  for _ in $(seq 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$2/healthz" && return
    sleep 0.1
  done
  echo "the server on $1 did not start" >&2
  exit 1
}

# Prints the requests/s of one page ($2) on the server at port $1.
measure() {
  local url="http://127.0.0.1:$1$2"
  curl -fs -o /dev/null "$url" || { echo "$2 does not answer 200" >&2; exit 1; }
  taskset -c 1 wrk -t1 -c64 -d2s "$url" >/dev/null  # warm-up
  taskset -c 1 wrk -t1 -c64 -d10s "$url" >"$work/wrk.log"
  awk '/Requests\/sec/ {print $2}' "$work/wrk.log"
}

# The servers run at once but only one is measured at a time; each page is measured on the demo,
# small and large databases, then again in the reverse order, so that a drift of the machine's
# speed during the run weighs on all alike.
start_server "$demo" "$demo_port"
start_server "$small" "$small_port"
start_server "$large" "$large_port"
pages=(/lettings/ /lettings/1/ /profiles/ /profiles/AirWow/)
large_only=("/lettings/?page=2" "/profiles/?page=2" "/lettings/?page=20000" "/profiles/?page=20000")
printf "%-22s %11s %11s %11s %9s %9s\n" "page" "demo" "demo+120" "demo+$rows" "vs demo" "vs +120"
for page in "${pages[@]}"; do
  d1="$(measure "$demo_port" "$page")"
  s1="$(measure "$small_port" "$page")"
  l1="$(measure "$large_port" "$page")"
  l2="$(measure "$large_port" "$page")"
  s2="$(measure "$small_port" "$page")"
  d2="$(measure "$demo_port" "$page")"
  awk -v p="$page" -v d1="$d1" -v d2="$d2" -v s1="$s1" -v s2="$s2" -v l1="$l1" -v l2="$l2" 'BEGIN {
    d = (d1 + d2) / 2; s = (s1 + s2) / 2; l = (l1 + l2) / 2
    printf "%-22s %11.0f %11.0f %11.0f %+8.1f%% %+8.1f%%\n", p, d, s, l, (l / d - 1) * 100, (l / s - 1) * 100
  }'
done
for page in "${large_only[@]}"; do
  awk -v p="$page" -v l="$(measure "$large_port" "$page")" 'BEGIN { printf "%-22s %11s %11s %11.0f\n", p, "-", "-", l }'
done
for pid in "${server_pids[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
server_pids=()
