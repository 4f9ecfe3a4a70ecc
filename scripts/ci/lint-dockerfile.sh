#!/usr/bin/env bash
# Lints the Dockerfile with npm dockerfile-utils; fails on any finding.
#
# The linter is installed once into a cache directory outside the repository:
# ${OCL_TOOLS_DIR:-/var/cache/oc-lettings/npm-tools}.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS_DIR="${OCL_TOOLS_DIR:-/var/cache/oc-lettings/npm-tools}"
DOCKERFILE="${1:-$ROOT/Dockerfile}"

LINTER="$TOOLS_DIR/node_modules/.bin/dockerfile-utils"
if [ ! -x "$LINTER" ]; then
  echo "lint-dockerfile: installing dockerfile-utils into $TOOLS_DIR" >&2
  mkdir -p "$TOOLS_DIR"
  npm install --no-audit --no-fund --loglevel=error --prefix "$TOOLS_DIR" dockerfile-utils > /dev/null
fi

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
