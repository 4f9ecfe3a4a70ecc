#!/usr/bin/env bash
# Runs the whole test suite (unit, integration, monitoring, end to end) under the sanitizers:
#   scripts/sanitizers.sh [asan|tsan]...   (default: asan tsan)
# asan is AddressSanitizer with LeakSanitizer and UndefinedBehaviorSanitizer, tsan ThreadSanitizer.
# Each preset is configured in build/<preset>, built and tested with ctest; the first failing test
# or sanitizer report fails the script. JUnit results go to build/test-results/<preset>-*.xml.
# Expects the packages of `scripts/install-deps.sh --test`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# These builds are the longest to compile and only their reports carry paths: let ccache reuse
# objects compiled in another checkout of the same sources (paths made relative to the checkout).
export CCACHE_BASEDIR="$repo_root" CCACHE_NOHASHDIR=true

presets=("$@")
if [[ ${#presets[@]} -eq 0 ]]; then
  presets=(asan tsan)
fi
for preset in "${presets[@]}"; do
  if [[ "$preset" != asan && "$preset" != tsan ]]; then
    echo "usage: scripts/sanitizers.sh [asan|tsan]..." >&2
    exit 2
  fi
done

stage() { printf '\n==== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

mkdir -p build/test-results
for preset in "${presets[@]}"; do
  started=$SECONDS
  stage "configure and build ($preset preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  built=$SECONDS

  # Unit tests in parallel; the tests that run the server one at a time, as several of them
  # measure latency or load the CPU and the sanitizers already slow everything down several times.
  stage "unit tests ($preset preset)"
  ctest --preset "$preset" -L unit -j "$(nproc)" --output-junit "$repo_root/build/test-results/$preset-unit.xml"
  stage "integration, monitoring and end-to-end tests ($preset preset)"
  ctest --preset "$preset" -LE unit --output-junit "$repo_root/build/test-results/$preset-integration.xml"
  printf '%s: build %ss, tests %ss\n' "$preset" "$((built - started))" "$((SECONDS - built))"
done

stage "sanitizers: ${presets[*]} passed"
