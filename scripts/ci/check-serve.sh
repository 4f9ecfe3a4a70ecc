#!/usr/bin/env bash
# The README's serve command, checked where it runs (CircleCI's `quickstart` job: a bare Debian 12):
# `./scripts/serve.sh` must install, build and serve the demo on port 8000 within 15 minutes, and
# the home page, a letting and a profile must answer 200 with the Django site's data. The server
# is stopped afterwards. Plain bash for the requests: a bare Debian 12 has no curl.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
log="$(mktemp)"
./scripts/serve.sh >"$log" 2>&1 &
serve_pid=$!
cleanup() {
  kill "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

# get PATH: the status line, headers and body of GET PATH on 127.0.0.1:8000.
get() {
  exec 3<>/dev/tcp/127.0.0.1/8000
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
  cat <&3
  exec 3<&-
}

started=$SECONDS
until get /healthz 2>/dev/null | grep -q '^HTTP/1.[01] 200'; do
  if ((SECONDS - started > 900)) || ! kill -0 "$serve_pid" 2>/dev/null; then
    tail -n 40 "$log" >&2
    echo "check-serve: ./scripts/serve.sh did not serve on :8000" >&2
    exit 1
  fi
  sleep 2
done
echo "check-serve: ./scripts/serve.sh serves on :8000 after $((SECONDS - started)) s"
for check in "/|Welcome to the new Holiday Homes" "/lettings/1/|Joshua Tree Green Haus /w Hot Tub" \
  "/profiles/HeadlinesGazer/|HeadlinesGazer"; do
  path="${check%%|*}" text="${check#*|}"
  page="$(get "$path")"
  if [[ "$page" != "HTTP/1."?" 200"* || "$page" != *"$text"* ]]; then
    echo "check-serve: GET $path did not answer 200 with \"$text\"" >&2
    exit 1
  fi
  echo "check-serve: GET $path 200, \"$text\""
done
