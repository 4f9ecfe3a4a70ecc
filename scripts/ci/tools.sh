#!/usr/bin/env bash
# Sourced by the CI scripts: makes the pinned npm checkers of scripts/ci/tools/ available,
# installing them with `npm ci` the first time (the lock file fixes every version).

CI_TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/tools" && pwd)"
export CI_TOOLS_BIN="$CI_TOOLS_DIR/node_modules/.bin"

ensure_ci_tools() {
  if [ ! -x "$CI_TOOLS_BIN/ajv" ] || [ ! -x "$CI_TOOLS_BIN/dockerfile-utils" ]; then
    echo "ci-tools: installing the pinned checkers into $CI_TOOLS_DIR" >&2
    npm ci --prefix "$CI_TOOLS_DIR" --no-audit --no-fund --loglevel=error >/dev/null
  fi
}
