#!/usr/bin/env bash
# Installs what the project needs on Debian 12: the packages listed in packages/debian.txt, plus
#   --test      packages/debian-test.txt (the test, lint, fuzz and documentation checks)
#   --delivery  packages/debian-delivery.txt (images, the local CircleCI runner, the rehearsal)
# and Node.js with npm: Debian 12's own (18.x) when npm is missing. Every npm package the
# project locks runs on Node.js 18 or later; an older Node.js stops the script.
# Packages already installed are left alone, so a second run takes a second.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lists=("$repo_root/packages/debian.txt")
for argument in "$@"; do
  case "$argument" in
    --test) lists+=("$repo_root/packages/debian-test.txt") ;;
    --delivery) lists+=("$repo_root/packages/debian-delivery.txt") ;;
    *) echo "usage: scripts/install-deps.sh [--test] [--delivery]" >&2; exit 2 ;;
  esac
done

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "${lists[@]}" | grep -v '^$' | sort -u)
# A Node.js of another origin may bring its own npm, which Debian's npm package would conflict with.
if command -v npm >/dev/null 2>&1; then
  mapfile -t wanted < <(printf '%s\n' "${wanted[@]}" | grep -vx -e nodejs -e npm)
else
  wanted+=(nodejs npm)
fi

missing=()
for package in "${wanted[@]}"; do
  is_installed "$package" || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ((node_major < 18)); then
  echo "install-deps: Node.js $(node --version) is too old; the npm packages need 18 or later" >&2
  exit 1
fi
