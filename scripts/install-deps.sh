#!/usr/bin/env bash
# Installs what the project needs on Debian 12: the packages listed in packages/debian.txt
# (and packages/debian-test.txt with --test), plus Node.js and npm when they are missing.
# Packages already installed are left alone, so a second run takes a second.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lists=("$repo_root/packages/debian.txt")
if [[ "${1:-}" == "--test" ]]; then
  lists+=("$repo_root/packages/debian-test.txt")
fi

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "${lists[@]}" | grep -v '^$')
if ! command -v npm >/dev/null 2>&1; then
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
