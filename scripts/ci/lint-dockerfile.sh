#!/usr/bin/env bash
# Lints the Dockerfile with npm dockerfile-utils; fails on any finding.
# The linter's version is pinned in scripts/ci/tools/package-lock.json.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DOCKERFILE="${1:-$ROOT/Dockerfile}"
# shellcheck source=scripts/ci/tools.sh
source "$ROOT/scripts/ci/tools.sh"
ensure_ci_tools
LINTER="$CI_TOOLS_BIN/dockerfile-utils"

OUTPUT="$("$LINTER" lint "$DOCKERFILE" 2>&1)" || {
  printf '%s\n' "$OUTPUT" >&2
  echo "lint-dockerfile: FAIL ($DOCKERFILE)" >&2
  exit 1
}
if [ -n "$OUTPUT" ]; then
  printf '%s\n' "$OUTPUT" >&2
  echo "lint-dockerfile: FAIL, findings in $DOCKERFILE" >&2
  exit 1
fi
echo "lint-dockerfile: OK ($DOCKERFILE)"
