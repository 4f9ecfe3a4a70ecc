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

# podman_build_options: the `podman build` options this machine needs, one per line: chroot
# isolation, the Docker image format (it keeps HEALTHCHECK) and, where HTTPS goes through a proxy
# with a certificate authority of this machine's own, that CA bundle for npm inside the build
# (nothing else of the host goes in).
podman_build_options() {
  printf '%s\n' --isolation chroot --format docker
  if compgen -G '/usr/local/share/ca-certificates/*.crt' > /dev/null \
    && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    printf '%s\n' -v /etc/ssl/certs/ca-certificates.crt:/run/host-ca-certificates.crt:ro \
      --build-arg NODE_EXTRA_CA_CERTS=/run/host-ca-certificates.crt
  fi
}
