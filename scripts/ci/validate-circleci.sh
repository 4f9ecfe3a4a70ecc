#!/usr/bin/env bash
# Validates .circleci/config.yml against the CircleCI configuration JSON schema
# kept beside the repository in ../shared/schemas/.
#
# The validator (npm ajv-cli + ajv-formats) is installed once into a cache
# directory outside the repository: ${OCL_TOOLS_DIR:-/var/cache/oc-lettings/npm-tools}.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TOOLS_DIR="${OCL_TOOLS_DIR:-/var/cache/oc-lettings/npm-tools}"
SCHEMA="${OCL_CIRCLECI_SCHEMA:-$ROOT/../shared/schemas/circleci-config.schema.json}"
CONFIG="$ROOT/.circleci/config.yml"

if [ ! -f "$SCHEMA" ]; then
  echo "validate-circleci: schema not found: $SCHEMA" >&2
  exit 1
fi
if [ ! -f "$CONFIG" ]; then
  echo "validate-circleci: config not found: $CONFIG" >&2
  exit 1
fi

AJV="$TOOLS_DIR/node_modules/.bin/ajv"
if [ ! -x "$AJV" ] || [ ! -d "$TOOLS_DIR/node_modules/ajv-formats" ]; then
  echo "validate-circleci: installing ajv-cli and ajv-formats into $TOOLS_DIR" >&2
  mkdir -p "$TOOLS_DIR"
  npm install --no-audit --no-fund --loglevel=error --prefix "$TOOLS_DIR" ajv-cli ajv-formats > /dev/null
fi

# ajv-cli resolves the "-c" plugin module relative to the working directory,
# so run from the tools directory with absolute paths.
cd "$TOOLS_DIR"
"$AJV" validate --spec=draft7 --strict=false -c ajv-formats -s "$SCHEMA" -d "$CONFIG"
