#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz preset: clang 14, ASan + UBSan) and runs each one, starting from
# its seeds in fuzz/corpus/<target>/ (read only: new inputs go to a temporary directory or --corpus).
#
#   scripts/fuzz.sh [--seconds N] [--runs N] [--timeout N] [--corpus DIR] [--no-build] [target...]
#
# --seconds N  time per target (default 20); --runs N  executions per target instead (with both,
#              whichever limit comes first).
# --timeout N  seconds one input may take before it counts as a hang (default 25; raise it for
#              long runs at low priority on a busy machine, where wall-clock time stretches).
# --corpus DIR keep new inputs in DIR/<target>/ (kept between runs, so a long campaign can resume)
#              instead of a temporary directory.
# --no-build   use the targets already built in build/fuzz.
# Without targets, every fuzz/*_fuzzer.cpp runs. A crash, a leak, a timeout or a broken invariant fails the
# script; the input is kept in build/fuzz/artifacts/<target>/ and the sanitizer report in its log.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

seconds=""
runs=""
build=true
targets=()
timeout=25
corpus=""
usage() { sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($# > 0)); do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --timeout) timeout="${2:?--timeout needs a number}"; shift 2 ;;
    --corpus) corpus="${2:?--corpus needs a directory}"; shift 2 ;;
    --no-build) build=false; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ((${#targets[@]} == 0)); then
  for source in fuzz/*_fuzzer.cpp; do
    name="${source#fuzz/}"
    targets+=("${name%_fuzzer.cpp}")
  done
fi

if [[ "$build" == true ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
fi

if [[ -n "$corpus" ]]; then
  mkdir -p "$corpus"
  work="$(cd "$corpus" && pwd)"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/ocl-fuzz.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
artifacts="$repo_root/build/fuzz/artifacts"
logs="$repo_root/build/fuzz/logs"
mkdir -p "$logs"

# Stop at the first report, with a stack trace (libFuzzer reports leaks itself).
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

if [[ -z "$runs" && -z "$seconds" ]]; then
  seconds=20
fi
limit=()
if [[ -n "$runs" ]]; then
  limit+=(-runs="$runs")
fi
if [[ -n "$seconds" ]]; then
  limit+=(-max_total_time="$seconds")
fi

failed=()
summary=()
for target in "${targets[@]}"; do
  binary="build/fuzz/fuzz/${target}_fuzzer"
  seeds="fuzz/corpus/$target"
  if [[ ! -x "$binary" || ! -d "$seeds" ]]; then
    echo "fuzz: no target '$target' (expected $binary and $seeds/)" >&2
    exit 2
  fi
  mkdir -p "$work/$target" "$artifacts/$target"
  options=("${limit[@]}" -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1
    -artifact_prefix="$artifacts/$target/")
  if [[ -f "fuzz/$target.dict" ]]; then
    options+=(-dict="fuzz/$target.dict")
  fi
  log="$logs/$target.log"
  printf '\n==== %s (%s)\n' "$target" "${limit[*]}"
  start=$(date +%s)
  status=0
  "$binary" "${options[@]}" "$work/$target" "$seeds" >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  per_second="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  coverage="$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)"
  mark=""
  if ((status != 0)); then
    mark="  FAILED"
    failed+=("$target")
    grep -E 'ERROR|runtime error|invariant broken|SUMMARY|Test unit written' "$log" | head -n 20 >&2 || true
    echo "fuzz: $target FAILED (exit $status); full log: $log" >&2
  fi
  summary+=("$(printf '%-18s %12s execs %8s exec/s %6ss  %s%s' "$target" "${executions:-?}" "${per_second:-?}" \
    "$elapsed" "$coverage" "$mark")")
done

printf '\n==== summary\n'
printf '%s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "fuzz: failing targets: ${failed[*]}" >&2
  exit 1
fi
