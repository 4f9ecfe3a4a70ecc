#!/usr/bin/env bash
# Runs the monitoring tests against the real server: run-tests.sh SERVER_BINARY FIXTURE_DATABASE STATIC_ROOT
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$(realpath "$1")" fixture="$(realpath "$2")" static_root="$(realpath "$3")"
cd "$here"
if [[ ! -d node_modules/@sentry/core ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
export OCL_SERVER_BINARY="$binary" OCL_FIXTURE_DATABASE="$fixture" OCL_STATIC_ROOT="$static_root"
exec node --test --test-concurrency=1 ./*.test.mjs
