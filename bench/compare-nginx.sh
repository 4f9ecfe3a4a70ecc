#!/usr/bin/env bash
# Dynamic pages against static files: builds the release server, saves the bytes of each public
# page, serves the very same bytes with Debian's nginx, and runs wrk on every page against both at
# 64 and 256 connections (keep-alive). The servers are pinned to core 0 and wrk to core 1.
# Prints the start-up time (first 200 for /lettings/), then one table: requests/s of each, the ratio
# to nginx (target >= 0.6), p99 latency of both and the server's resident memory after the run.
# Usage: bench/compare-nginx.sh [SECONDS_PER_RUN=10]; needs cmake, wrk, curl, nginx and taskset.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-10}"
binary="$repo_root/build/release/oc-lettings"
fixture="$repo_root/tests/data/django-site.sqlite3"
server_port=18981
nginx_port=18982
pages=(/ /lettings/ /lettings/1/ /profiles/ /profiles/HeadlinesGazer/)
work="$(mktemp -d)"
server_pid=""
nginx_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  if [[ -n "$nginx_pid" ]]; then kill "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v nginx >/dev/null; then
  apt-get install -y --no-install-recommends nginx-light >/dev/null
fi
(cd "$repo_root" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)

cp "$fixture" "$work/db.sqlite3"
serve() {
  env -i PATH="$PATH" SECRET_KEY=benchmark-secret-key ALLOWED_HOSTS=127.0.0.1 \
    DATABASE_URL="sqlite:///$work/db.sqlite3" STATIC_ROOT="$repo_root/static" LOG_LEVEL=WARNING \
    taskset -c 0 "$binary" serve --port "$server_port" >/dev/null 2>"$work/server.log" &
  server_pid=$!
}

# Start-up: from launching the process to the first 200 for /lettings/ (polled every millisecond;
# each poll is a curl run, so the figure slightly overstates it).
started_ns="$(date +%s%N)"
serve
until curl -fs -o /dev/null "http://127.0.0.1:$server_port/lettings/"; do sleep 0.001; done
startup_ms="$(( ($(date +%s%N) - started_ns) / 1000000 ))"
kill "$server_pid"
wait "$server_pid" || true

serve
for _ in $(seq 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$server_port/healthz" && break
  sleep 0.1
done

# The same bytes as files: /lettings/ becomes lettings/index.html.
mkdir -p "$work/site"
for page in "${pages[@]}"; do
  mkdir -p "$work/site$page"
  curl -fs -o "$work/site${page}index.html" "http://127.0.0.1:$server_port$page"
done
cat >"$work/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/tmp-body;
  proxy_temp_path $work/tmp-proxy;
  fastcgi_temp_path $work/tmp-fastcgi;
  uwsgi_temp_path $work/tmp-uwsgi;
  scgi_temp_path $work/tmp-scgi;
  default_type text/html;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/site;
    index index.html;
  }
}
CONF
taskset -c 0 nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do
  curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/" && break
  sleep 0.1
done

# Runs wrk on one URL; prints "requests_per_second p99_ms".
measure() {
  taskset -c 1 wrk -t1 -c"$1" -d"${seconds}s" --latency "$2" >"$work/wrk.log"
  awk '/Requests\/sec/ {rps = $2}
       $1 == "99%" {v = $2; if (v ~ /us$/) ms = v / 1000; else if (v ~ /ms$/) ms = v + 0; else ms = v * 1000}
       END {printf "%s %.2f\n", rps, ms}' "$work/wrk.log"
}
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

taskset -c 1 wrk -t1 -c64 -d2s "http://127.0.0.1:$server_port/lettings/" >/dev/null  # warm-up
echo "first 200 for /lettings/ ${startup_ms} ms after start (target < 100 ms)"
printf '%-26s %5s %11s %11s %6s %8s %10s %8s\n' page conns "server rps" "nginx rps" ratio "p99 ms" "nginx p99" "RSS MiB"
for connections in 64 256; do
  for page in "${pages[@]}"; do
    read -r server_rps server_p99 < <(measure "$connections" "http://127.0.0.1:$server_port$page")
    read -r nginx_rps nginx_p99 < <(measure "$connections" "http://127.0.0.1:$nginx_port$page")
    awk -v page="$page" -v c="$connections" -v s="$server_rps" -v n="$nginx_rps" -v p="$server_p99" \
      -v np="$nginx_p99" -v rss="$(rss_mib "$server_pid")" \
      'BEGIN {printf "%-26s %5d %11.0f %11.0f %6.2f %8.2f %10.2f %8s\n", page, c, s, n, s / n, p, np, rss}'
  done
done
