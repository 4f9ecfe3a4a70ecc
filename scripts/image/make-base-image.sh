#!/usr/bin/env bash
# Builds a minimal Debian 12 (bookworm) root file system with debootstrap and
# imports it into the local container storage as localhost/ocl-base/debian:bookworm (a name that
# never answers for the short name `debian`, which the Dockerfile pulls from a registry).
# No container registry is contacted: packages come from the APT mirror this
# machine already uses.
#
# Usage: scripts/image/make-base-image.sh [--force] [--image NAME]
#
# Environment:
#   OCL_CACHE_DIR   where the root file system tarball is cached
#                   (default /var/cache/oc-lettings)
#   OCL_MIRROR      APT mirror to bootstrap from (default: read from the
#                   machine's APT sources)
#   OCL_SUITE       Debian suite (default bookworm)
set -euo pipefail

IMAGE="localhost/ocl-base/debian:bookworm"
FORCE=0
SUITE="${OCL_SUITE:-bookworm}"
CACHE_DIR="${OCL_CACHE_DIR:-/var/cache/oc-lettings}"

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --force) FORCE=1 ;;
    --image) IMAGE="$2"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "make-base-image: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[make-base-image] %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  echo "make-base-image: must run as root (debootstrap needs it)" >&2
  exit 1
fi

for tool in podman debootstrap; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "make-base-image: $tool is not installed (apt-get install -y podman debootstrap)" >&2
    exit 1
  fi
done

if [ "$FORCE" -eq 0 ] && podman image exists "$IMAGE"; then
  log "$IMAGE already exists (use --force to rebuild)"
  exit 0
fi

# Find the Debian mirror the machine uses: deb822 sources first, then the
# classic one-line format.
detect_mirror() {
  local file uri
  for file in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    uri="$(awk '
      /^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }
    ' "$file")"
    if [ -n "$uri" ]; then
      printf '%s\n' "$uri"
      return 0
    fi
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    uri="$(awk '
      $1 == "deb" {
        for (i = 2; i <= NF; i++) {
          if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; continue }
          if ($i !~ /security/) { print $i; exit }
          break
        }
      }
    ' "$file")"
    if [ -n "$uri" ]; then
      printf '%s\n' "$uri"
      return 0
    fi
  done
  return 1
}

MIRROR="${OCL_MIRROR:-}"
if [ -z "$MIRROR" ]; then
  MIRROR="$(detect_mirror)" || {
    echo "make-base-image: no Debian mirror found in the APT sources; set OCL_MIRROR" >&2
    exit 1
  }
fi

mkdir -p "$CACHE_DIR"
TARBALL="$CACHE_DIR/debian-${SUITE}-minbase-$(dpkg --print-architecture).tar"

if [ "$FORCE" -eq 1 ] || [ ! -s "$TARBALL" ]; then
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/ocl-rootfs.XXXXXX")"
  cleanup() { rm -rf --one-file-system "$WORK"; }
  trap cleanup EXIT
  ROOTFS="$WORK/rootfs"

  log "bootstrapping $SUITE from $MIRROR"
  debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 || {
    tail -n 30 "$WORK/debootstrap.log" >&2
    echo "make-base-image: debootstrap failed" >&2
    exit 1
  }

  log "configuring APT sources and slimming the root file system"
  cat > "$ROOTFS/etc/apt/sources.list" << EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
EOF
  # Keep future package installs inside containers small.
  cat > "$ROOTFS/etc/dpkg/dpkg.cfg.d/01-slim" << 'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
  cat > "$ROOTFS/etc/apt/apt.conf.d/01-slim" << 'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
  find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2> /dev/null || true
  find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete 2> /dev/null || true
  rm -rf "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/lintian/*
  find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias \
    -exec rm -rf {} + 2> /dev/null || true
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin \
    "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/log/* "$ROOTFS"/tmp/* \
    "$ROOTFS"/var/cache/debconf/*-old "$ROOTFS"/var/lib/dpkg/*-old
  : > "$ROOTFS/etc/machine-id"
  # Containers get their resolver configuration and host name at run time.
  rm -f "$ROOTFS/etc/resolv.conf" "$ROOTFS/etc/hostname"

  log "writing $TARBALL"
  tar --numeric-owner --xattrs -C "$ROOTFS" -cf "$TARBALL.partial" .
  mv "$TARBALL.partial" "$TARBALL"
else
  log "using cached root file system $TARBALL"
fi

log "importing $IMAGE"
if [ "$FORCE" -eq 1 ] && podman image exists "$IMAGE"; then
  podman rmi -f "$IMAGE" > /dev/null
fi
podman import --quiet \
  --change 'CMD ["/bin/bash"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$IMAGE" < "$TARBALL" > /dev/null
log "done: $(podman image inspect --format '{{.Id}} {{.Size}}' "$IMAGE")"
