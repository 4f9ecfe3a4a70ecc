#!/usr/bin/env bash
# Runs the monitoring tests against the real server: run-tests.sh SERVER_BINARY FIXTURE_DATABASE STATIC_ROOT
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [[ ! -d node_modules/@sentry/core ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
export OCL_SERVER_BINARY="$1" OCL_FIXTURE_DATABASE="$2" OCL_STATIC_ROOT="$3"
exec node --test --test-concurrency=1 ./*.test.mjs
