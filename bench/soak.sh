#!/usr/bin/env bash
# Soak test: the release server under wrk at 256 connections over every page (bench/soak.lua:
# public pages, a static file and the logged-in admin) for DURATION seconds. It fails on any
# socket error, any unexpected status, or resident memory growing more than 5 % after warm-up
# (the first fifth of the run) to the last sample under load. Prints one line of figures.
# Usage: bench/soak.sh [DURATION_SECONDS=600] [SERVER_BINARY=build/release/oc-lettings]; needs wrk, curl.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-600}"
binary="$(realpath "${2:-$repo_root/build/release/oc-lettings}")"
fixture="$repo_root/tests/data/django-site.sqlite3"
port="${SOAK_PORT:-18973}"
base="http://127.0.0.1:$port"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cp "$fixture" "$work/db.sqlite3"
env -i PATH="$PATH" SECRET_KEY=soak-test-secret-key ALLOWED_HOSTS=127.0.0.1 \
  DATABASE_URL="sqlite:///$work/db.sqlite3" STATIC_ROOT="$repo_root/static" LOG_LEVEL=WARNING \
  "$binary" serve --port "$port" >/dev/null 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  curl -fs -o /dev/null "$base/healthz" && break
  sleep 0.1
done

# Log into the admin as the shared database's superuser: the CSRF cookie, then the form.
jar="$work/cookies.txt"
curl -fs -c "$jar" -o /dev/null "$base/admin/login/"
csrf="$(awk '$6 == "csrftoken" {print $7}' "$jar")"
curl -fs -b "$jar" -c "$jar" -o /dev/null -H "Referer: $base/admin/login/" \
  --data-urlencode "csrfmiddlewaretoken=$csrf" --data-urlencode "username=admin" \
  --data-urlencode "password=Abc1234!" --data-urlencode "next=/admin/" "$base/admin/login/"
session="$(awk '$6 == "sessionid" {print $7}' "$jar")"
if [[ -z "$session" ]]; then
  echo "soak: could not log into the admin" >&2
  exit 1
fi

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
warm_up=$((duration / 5))
OCL_SESSION="$session" wrk -t2 -c256 -d"${duration}s" --timeout 5s -s "$repo_root/bench/soak.lua" "$base" \
  >"$work/wrk.log" &
wrk_pid=$!
sleep "$warm_up"
rss_after_warm_up="$(rss_kib)"
rss_peak="$rss_after_warm_up"
rss_last="$rss_after_warm_up"
while kill -0 "$wrk_pid" 2>/dev/null; do
  rss_last="$(rss_kib)"
  ((rss_last > rss_peak)) && rss_peak="$rss_last"
  sleep 1
done
wait "$wrk_pid"
cat "$work/wrk.log"

socket_errors="$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/wrk.log")"
summary="$(grep '^soak:' "$work/wrk.log")"
unexpected="$(sed -n 's/.*unexpected_status=\([0-9]*\).*/\1/p' <<<"$summary")"
growth="$(awk -v base="$rss_after_warm_up" -v last="$rss_last" 'BEGIN {printf "%.2f", (last - base) * 100 / base}')"
echo "soak: ${duration}s at 256 connections; RSS after warm-up ${rss_after_warm_up} KiB, at the end of the load" \
  "${rss_last} KiB (growth ${growth} %), peak ${rss_peak} KiB; socket errors ${socket_errors:-0};" \
  "unexpected statuses ${unexpected}"

failed=0
if [[ "${socket_errors:-0}" -ne 0 ]]; then echo "soak: FAIL socket errors" >&2; failed=1; fi
if [[ "${unexpected:-1}" -ne 0 ]]; then echo "soak: FAIL unexpected statuses" >&2; failed=1; fi
if awk -v growth="$growth" 'BEGIN {exit !(growth >= 5)}'; then echo "soak: FAIL RSS grew ${growth} %" >&2; failed=1; fi
if ! kill -0 "$server_pid" 2>/dev/null; then echo "soak: FAIL the server died" >&2; failed=1; fi
[[ "$failed" -eq 0 ]]
