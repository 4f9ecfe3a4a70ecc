#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every check: the build with coverage, unit and
# integration tests on SQLite and on a throw-away PostgreSQL 15 (gate: line coverage >=
# COVERAGE_MIN, default 80), lint, the whole suite under ASan+UBSan and under TSan, a 60-second
# soak of the release server, every fuzz target for FUZZ_SECONDS (default 20), the CircleCI config
# and Dockerfile checks, the documentation (warnings are errors) and the container image.
# OCL_SKIP="sanitizers soak fuzz docs image" skips stages during development; CI never sets it.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
coverage_min="${COVERAGE_MIN:-80}"
junit="$repo_root/build/test-results/junit.xml"
if [[ "${1:-}" == "--junit" && -n "${2:-}" ]]; then
  junit="$(realpath -m "$2")"
fi
skip=" ${OCL_SKIP:-} "

stage() { printf '\n==== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
skipped() { [[ "$skip" == *" $1 "* ]]; }

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

stage "lint"
scripts/lint.sh

if ! skipped sanitizers; then
  stage "sanitizers (the whole suite under ASan+UBSan, then under TSan)"
  scripts/sanitizers.sh asan tsan
fi

if ! skipped soak; then
  stage "soak (release server, 60 s at 256 connections)"
  # The server, its compressed static files and the benchmarks (compiled here only): the tests
  # already ran in three builds above.
  cmake --preset release >/dev/null
  cmake --build --preset release --target oc-lettings precompress-static micro_benchmarks
  bench/soak.sh 60
fi

if ! skipped fuzz; then
  stage "fuzzing (${FUZZ_SECONDS:-20} s per target)"
  scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-20}"
fi

if ! skipped ci-config; then
  stage "CircleCI config and Dockerfile"
  scripts/ci/validate-circleci.sh
  scripts/ci/lint-dockerfile.sh
fi

if ! skipped docs; then
  stage "documentation"
  scripts/docs.sh
fi

if ! skipped image; then
  stage "container image"
  scripts/image/build-and-smoke-test.sh
fi

stage "all checks passed"
