#!/usr/bin/env bash
# Sourced by the CI scripts: makes the pinned npm tools of scripts/ci/tools/ available (the
# checkers, the local CircleCI runner's YAML parser), installed with `npm ci` the first time.

CI_TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/tools" && pwd)"
export CI_TOOLS_BIN="$CI_TOOLS_DIR/node_modules/.bin"

ensure_ci_tools() {
  if [ ! -x "$CI_TOOLS_BIN/ajv" ] || [ ! -x "$CI_TOOLS_BIN/dockerfile-utils" ] || [ ! -d "$CI_TOOLS_DIR/node_modules/yaml" ]; then
    echo "ci-tools: installing the pinned checkers into $CI_TOOLS_DIR" >&2
    npm ci --prefix "$CI_TOOLS_DIR" --no-audit --no-fund --loglevel=error >/dev/null
  fi
}
