#!/usr/bin/env bash
# Tests of the local CircleCI runner: the config expansion and the step semantics (on this machine).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=scripts/ci/tools.sh
source "$ROOT/scripts/ci/tools.sh"
ensure_ci_tools
cd "$CI_TOOLS_DIR/circleci"
node --test config.test.mjs runner.test.mjs
