#!/usr/bin/env bash
# Sourced by the scripts that run containers: installs podman and its helpers when missing
# (packages/debian-delivery.txt) and, unless CONTAINERS_CONF is set, writes a podman
# configuration this kind of host accepts. Needs a scratch folder: use_podman DIR.

use_podman() {
  local scratch="$1" repo_root
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  "$repo_root/scripts/install-deps.sh" --delivery
  [ -n "${CONTAINERS_CONF:-}" ] && return 0
  # crun rejects hybrid cgroup layouts, so containers run with Debian's runc; resource limits
  # must stay within the host's hard limits.
  local nofile nproc
  nofile="$(ulimit -Hn)"
  [ "$nofile" = unlimited ] || [ "$nofile" -gt 20000 ] && nofile=20000
  nproc="$(ulimit -Hu)"
  [ "$nproc" = unlimited ] || [ "$nproc" -gt 4096 ] && nproc=4096
  export CONTAINERS_CONF="$scratch/containers.conf"
  cat > "$CONTAINERS_CONF" << CONF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
}
