#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and serves the site with its demo data at
# http://127.0.0.1:8000 on the embedded SQLite database (oc-lettings-site.sqlite3).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

if [[ ! -f .env ]]; then
  # A local configuration with its own random key; edit it to change any setting.
  {
    echo "SECRET_KEY=$(openssl rand -hex 32)"
    echo "ALLOWED_HOSTS=127.0.0.1,localhost"
  } >.env
  echo "Wrote .env with a new SECRET_KEY"
fi

exec build/release/oc-lettings serve --migrate --demo fixtures/demo.json
