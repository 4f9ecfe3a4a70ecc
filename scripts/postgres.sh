#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster on a free loopback port, for the tests and benchmarks.
#   scripts/postgres.sh start DIR          initdb DIR (if new) and start it; prints its postgres:// URL
#   scripts/postgres.sh stop DIR [MODE]    pg_ctl stop (MODE: fast, the default, or immediate)
#   scripts/postgres.sh run COMMAND...     start a cluster in a temporary folder, run COMMAND with
#                                          OCL_TEST_POSTGRES_URL and OCL_TEST_POSTGRES_DIR set, then remove it
# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' user.
set -euo pipefail

shopt -s nullglob
installed=(/usr/lib/postgresql/*/bin)
pg_bin="${installed[-1]:-}"
if [[ -z "$pg_bin" ]]; then
  echo "postgres: PostgreSQL is not installed (Debian package postgresql-15)" >&2
  exit 2
fi

# From / : the checkout may sit in a folder the postgres user cannot enter (/root/project on CircleCI),
# and PostgreSQL's tools complain on stderr about a working directory they cannot return to.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# shellcheck source=scripts/lib/net.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/net.sh"

start() {
  local dir="$1"
  mkdir -p "$dir"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$dir"; fi
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    as_owner "$pg_bin/initdb" -D "$dir" -U ocl -A trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 ||
      { cat "$dir.initdb.log" >&2; exit 1; }
  fi
  local port recorded
  recorded="$(cat "$dir/ocl.port" 2>/dev/null || true)"
  # A cluster for tests: durability off (the data is thrown away), room for many test servers.
  # Started again, it keeps its port (its clients know only that one): a busy port is waited for;
  # a new cluster that loses the race for a free port takes another.
  for _ in 1 2 3 4 5; do
    port="${recorded:-$(free_port)}"
    if as_owner "$pg_bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 start -o \
      "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      >/dev/null 2>&1; then
      echo "$port" | as_owner tee "$dir/ocl.port" >/dev/null
      echo "postgres://ocl@127.0.0.1:$port/postgres"
      return 0
    fi
    [[ -z "$recorded" ]] || sleep 1
  done
  tail -n 20 "$dir/server.log" >&2
  exit 1
}

stop() {
  as_owner "$pg_bin/pg_ctl" -D "$1" -m "${2:-fast}" -w -t 30 stop >/dev/null
}

case "${1:-}" in
  start) start "${2:?a data folder}" ;;
  stop) stop "${2:?a data folder}" "${3:-fast}" ;;
  run)
    shift
    work="$(mktemp -d /tmp/ocl-postgres.XXXXXX)"
    chmod 755 "$work"
    OCL_TEST_POSTGRES_URL="$(start "$work/data")"
    export OCL_TEST_POSTGRES_URL OCL_TEST_POSTGRES_DIR="$work/data"
    trap 'stop "$work/data" immediate || true; rm -rf "$work"' EXIT
    "$@"
    ;;
  *)
    sed -n '2,7p' "$0" >&2
    exit 2
    ;;
esac
