#!/usr/bin/env bash
# Runs CircleCI jobs of .circleci/config.yml on this machine as CircleCI runs them: each in a fresh
# bare Debian 12 container (2 CPUs and 4 GB for the medium class) with only a clean clone of the
# commit at ~/project. See --help; the steps are read from the config, never copied.
#   scripts/ci/circleci-local.sh                 every job that runs in a container
#   scripts/ci/circleci-local.sh test lint       those jobs, in that order
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/ocl-circleci.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
# shellcheck source=scripts/ci/tools.sh
source "$repo_root/scripts/ci/tools.sh"
# shellcheck source=scripts/ci/podman-env.sh
source "$repo_root/scripts/ci/podman-env.sh"

if [[ " $* " != *" --on-host "* && " $* " != *" --list "* && " $* " != *" --help "* ]]; then
  use_podman "$scratch"
  if [ -z "${OCL_CI_IMAGE:-}" ]; then
    "$repo_root/scripts/image/make-base-image.sh"
  fi
fi
ensure_ci_tools
cd "$repo_root"
node "$repo_root/scripts/ci/tools/circleci/runner.mjs" "$@"
