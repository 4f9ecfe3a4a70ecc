#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz preset: clang 14, ASan + UBSan) and runs each one, starting from
# its seeds in fuzz/corpus/<target>/ (read only: new inputs go to a temporary directory or --corpus).
#
#   scripts/fuzz.sh [--seconds N] [--runs N] [--timeout N] [--corpus DIR] [--jobs N] [--no-build] [target...]
#
# --seconds N  time per target (default 20); --runs N  executions per target instead (with both,
#              whichever limit comes first).
# --timeout N  seconds one input may take before it counts as a hang (default 25; raise it for
#              long runs at low priority on a busy machine, where wall-clock time stretches).
# --corpus DIR keep new inputs in DIR/<target>/ (kept between runs, so a long campaign can resume)
#              instead of a temporary directory.
# --jobs N     targets run at the same time, one process each (default: the number of cores).
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
jobs="$(nproc)"
usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($# > 0)); do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --timeout) timeout="${2:?--timeout needs a number}"; shift 2 ;;
    --corpus) corpus="${2:?--corpus needs a directory}"; shift 2 ;;
    --jobs) jobs="${2:?--jobs needs a number}"; shift 2 ;;
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

if [[ ! "$jobs" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz: --jobs needs a positive number, not '$jobs'" >&2
  exit 2
fi

# Each target's summary line, and its exit status when it failed, while the targets run.
results="$(mktemp -d "${TMPDIR:-/tmp}/ocl-fuzz-results.XXXXXX")"
if [[ -n "$corpus" ]]; then
  mkdir -p "$corpus"
  work="$(cd "$corpus" && pwd)"
  trap 'rm -rf "$results"' EXIT
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/ocl-fuzz.XXXXXX")"
  trap 'rm -rf "$work" "$results"' EXIT
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

# One target: its run, then a summary line in $results/<target> and, when it failed, the exit status
# in $results/<target>.failed; the caller prints both in the targets' order.
run_target() {
  local target="$1" binary="build/fuzz/fuzz/${1}_fuzzer" seeds="fuzz/corpus/$1"
  local log="$logs/$target.log" start elapsed status=0 executions per_second coverage mark=""
  mkdir -p "$work/$target" "$artifacts/$target"
  local options=("${limit[@]}" -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1
    -artifact_prefix="$artifacts/$target/")
  if [[ -f "fuzz/$target.dict" ]]; then
    options+=(-dict="fuzz/$target.dict")
  fi
  start=$(date +%s)
  "$binary" "${options[@]}" "$work/$target" "$seeds" >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  per_second="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  coverage="$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)"
  if ((status != 0)); then
    mark="  FAILED"
    echo "$status" >"$results/$target.failed"
  fi
  printf '%-18s %12s execs %8s exec/s %6ss  %s%s\n' "$target" "${executions:-?}" "${per_second:-?}" \
    "$elapsed" "$coverage" "$mark" >"$results/$target"
  printf '%s done in %ss%s\n' "$target" "$elapsed" "$mark"
}

for target in "${targets[@]}"; do
  if [[ ! -x "build/fuzz/fuzz/${target}_fuzzer" || ! -d "fuzz/corpus/$target" ]]; then
    echo "fuzz: no target '$target' (expected build/fuzz/fuzz/${target}_fuzzer and fuzz/corpus/$target/)" >&2
    exit 2
  fi
done

# Each target runs in one process on one core: run --jobs of them at a time.
printf '\n==== %s target(s), %s at a time (%s)\n' "${#targets[@]}" "$jobs" "${limit[*]}"
for target in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do
    wait -n || true
  done
  run_target "$target" &
done
wait

failed=()
summary=()
for target in "${targets[@]}"; do
  summary+=("$(cat "$results/$target")")
  if [[ -f "$results/$target.failed" ]]; then
    failed+=("$target")
    grep -E 'ERROR|runtime error|invariant broken|SUMMARY|Test unit written' "$logs/$target.log" | head -n 20 >&2 || true
    echo "fuzz: $target FAILED (exit $(cat "$results/$target.failed")); full log: $logs/$target.log" >&2
  fi
done

printf '\n==== summary\n'
printf '%s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "fuzz: failing targets: ${failed[*]}" >&2
  exit 1
fi
