#!/usr/bin/env bash
# Validates .circleci/config.yml against the CircleCI configuration JSON schema kept in
# scripts/ci/circleci-config.schema.json (the schema of CircleCI's YAML language server).
# The validator (npm ajv-cli + ajv-formats) is pinned in scripts/ci/tools/package-lock.json.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SCHEMA="${OCL_CIRCLECI_SCHEMA:-$ROOT/scripts/ci/circleci-config.schema.json}"
CONFIG="$ROOT/.circleci/config.yml"

if [ ! -f "$SCHEMA" ]; then
  echo "validate-circleci: schema not found: $SCHEMA" >&2
  exit 1
fi
if [ ! -f "$CONFIG" ]; then
  echo "validate-circleci: config not found: $CONFIG" >&2
  exit 1
fi

# shellcheck source=scripts/ci/tools.sh
source "$ROOT/scripts/ci/tools.sh"
ensure_ci_tools
AJV="$CI_TOOLS_BIN/ajv"
TOOLS_DIR="$(dirname "$(dirname "$CI_TOOLS_BIN")")"

# ajv-cli resolves the "-c" plugin module relative to the working directory,
# so run from the tools directory with absolute paths.
cd "$TOOLS_DIR"
"$AJV" validate --spec=draft7 --strict=false -c ajv-formats -s "$SCHEMA" -d "$CONFIG"
