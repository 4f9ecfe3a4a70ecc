#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every test: the build with coverage, the unit,
# integration, monitoring and browser tests on SQLite, the integration suite on a throw-away
# PostgreSQL 15, then the gate: line coverage >= COVERAGE_MIN (default 80). This is CircleCI's
# `test` job; the other jobs (lint, sanitizers, soak and fuzzing, documentation, the image and the
# deployment) have scripts of their own, and `bash .ci/run` runs them all.
#   scripts/test.sh [--junit FILE]   (JUnit results, default build/test-results/junit.xml)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
coverage_min="${COVERAGE_MIN:-80}"
junit="$repo_root/build/test-results/junit.xml"
if [[ "${1:-}" == "--junit" && -n "${2:-}" ]]; then
  junit="$(realpath -m "$2")"
fi

stage() { printf '\n==== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

if [[ ! -c /dev/null ]]; then
  echo "test: /dev/null is not a character device on this machine; the checks cannot run reliably" >&2
  exit 1
fi

stage "dependencies"
scripts/install-deps.sh --test

stage "build (coverage preset)"
cmake --preset coverage >/dev/null
find build/coverage -name '*.gcda' -delete
cmake --build --preset coverage

stage "tests"
mkdir -p "$(dirname "$junit")"
ctest --preset coverage -j "$(nproc)" --output-junit "$junit"

stage "tests on PostgreSQL 15 (integration suite and PostgreSQL unit tests)"
# Each run gets a throw-away cluster; their coverage adds to the gate below. The outage and
# scale-out tests run alone: they start several servers, HAProxy and a cluster of their own, and
# their timing checks must not compete with other tests for the two cores.
heavy='DatabaseOutage|ScaleOut'
scripts/postgres.sh run ctest --preset coverage -j "$(nproc)" -L integration -E "$heavy" \
  --output-junit "${junit%.xml}-postgresql-integration.xml"
scripts/postgres.sh run ctest --preset coverage -R "$heavy|PostgresqlConnection" \
  --output-junit "${junit%.xml}-postgresql-serial.xml"

stage "coverage gate (line coverage >= ${coverage_min}%)"
mkdir -p build/coverage-report
gcovr --root . --object-directory build/coverage --filter 'src/' --exclude '.*/tests/.*' \
  --exclude-throw-branches --gcov-ignore-parse-errors --print-summary \
  --html-details build/coverage-report/index.html \
  --fail-under-line "$coverage_min"

stage "all tests passed"
