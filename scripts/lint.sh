#!/usr/bin/env bash
# Lint gate: clang-format, clang-tidy (zero findings), shellcheck and yamllint.
# clang-tidy reads each source's compile command from build/lint, configured here without unity
# batches (the builds compile sixteen sources per unit, a database clang-tidy cannot use per file).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
build_dir=build/lint

mapfile -t cpp_files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp')
mapfile -t shell_files < <(git ls-files --cached --others --exclude-standard -- '*.sh' '.ci/run')
mapfile -t yaml_files < <(git ls-files --cached --others --exclude-standard -- '*.yml' '*.yaml')

echo "== clang-format (${#cpp_files[@]} files)"
clang-format --dry-run -Werror "${cpp_files[@]}"

echo "== shellcheck (${#shell_files[@]} files)"
shellcheck "${shell_files[@]}"

echo "== yamllint (${#yaml_files[@]} files)"
yamllint -s -d "{extends: default, rules: {line-length: {max: 120}, document-start: disable, truthy: {check-keys: false}}}" \
  "${yaml_files[@]}"

cmake --preset coverage -B "$build_dir" -DCMAKE_UNITY_BUILD=OFF >/dev/null
# The product's sources; tests are held to the compiler's -Werror and clang-format.
mapfile -t tidy_files < <(git ls-files --cached --others --exclude-standard -- 'src/*.cpp' | grep -v '/tests/')
echo "== clang-tidy (${#tidy_files[@]} files)"
run-clang-tidy -quiet -p "$build_dir" -j "$(nproc)" "${tidy_files[@]/#/$repo_root/}" >"$build_dir/clang-tidy.log" 2>&1 || {
  grep -E "(warning|error):" "$build_dir/clang-tidy.log" | sort -u >&2
  echo "lint: clang-tidy found issues (full log: $build_dir/clang-tidy.log)" >&2
  exit 1
}
echo "lint: all clean"
