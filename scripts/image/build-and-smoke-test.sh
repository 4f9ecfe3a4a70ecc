#!/usr/bin/env bash
# Builds the OC Lettings container image with podman (no registry needed) and
# smoke-tests it configured as Render configures it (a secret key and a public
# host name, nothing else): pages answer under that host and refuse others, the
# process runs unprivileged, the image's HEALTHCHECK reports healthy, SIGTERM
# stops it cleanly, and the image stays under the size budget.
#
# Usage: scripts/image/build-and-smoke-test.sh [--no-build] [--keep-image] [--version V]
#   --no-build    test the existing image instead of building it
#   --keep-image  (default) keep the image after the test; --remove-image drops it
#   --version V   the version the image must report (--version, its label, the footer)
#
# Environment:
#   OCL_IMAGE         image tag (default localhost/oc-lettings:test)
#   OCL_BASE_IMAGE    base image (default localhost/ocl-base/debian:bookworm, built
#                     by make-base-image.sh when missing)
#   OCL_SMOKE_PORT    loopback port published for the test (default 18080)
#   OCL_MAX_IMAGE_MB  size budget in MB (default 60)
#   CONTAINERS_CONF   podman configuration; when unset a suitable one is written
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
IMAGE="${OCL_IMAGE:-localhost/oc-lettings:test}"
BASE_IMAGE="${OCL_BASE_IMAGE:-localhost/ocl-base/debian:bookworm}"
PORT="${OCL_SMOKE_PORT:-18080}"
MAX_MB="${OCL_MAX_IMAGE_MB:-60}"
NAME="ocl-smoke-$$"
PUBLIC_HOST="oc-lettings-url.onrender.com"
VERSION=""
BUILD=1
REMOVE_IMAGE=0

while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --keep-image) REMOVE_IMAGE=0 ;;
    --remove-image) REMOVE_IMAGE=1 ;;
    --version) VERSION="$2"; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-and-smoke-test: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[smoke] %s\n' "$*" >&2; }

RESULTS=()
FAILED=0
pass() { RESULTS+=("PASS  $1"); log "PASS: $1"; }
fail() { RESULTS+=("FAIL  $1"); log "FAIL: $1"; FAILED=1; }

summary() {
  echo
  echo "==== OC Lettings image smoke test: $IMAGE ===="
  local line
  for line in "${RESULTS[@]}"; do echo "  $line"; done
  if [ "$FAILED" -eq 0 ] && [ "${#RESULTS[@]}" -gt 0 ]; then
    echo "RESULT: PASS (${#RESULTS[@]} checks)"
  else
    echo "RESULT: FAIL"
  fi
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ocl-smoke.XXXXXX")"
cleanup() {
  local rc=$?
  if podman container exists "$NAME" 2> /dev/null; then
    podman rm -f -v -t 0 "$NAME" > /dev/null 2>&1 || true
  fi
  if [ "$REMOVE_IMAGE" -eq 1 ]; then
    podman rmi -f "$IMAGE" > /dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  restore_dev_null
  exit "$rc"
}
# Once, on this machine, /dev/null was found replaced by a regular file owned by the container's
# user after image runs; until the cause is found, put the device back and say so.
restore_dev_null() {
  if [ ! -c /dev/null ] && [ "$(id -u)" -eq 0 ]; then
    echo "smoke: /dev/null was not a character device; restoring it" >&2
    rm -f /dev/null && mknod -m 666 /dev/null c 1 3
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Container engine settings ------------------------------------------------
# shellcheck source=scripts/ci/podman-env.sh
source "$ROOT/scripts/ci/podman-env.sh"
use_podman "$WORK"

# --- Build -------------------------------------------------------------------
if [ "$BUILD" -eq 1 ]; then
  if [ "$BASE_IMAGE" = "localhost/ocl-base/debian:bookworm" ]; then
    "$ROOT/scripts/image/make-base-image.sh" --image "$BASE_IMAGE"
  fi
  mapfile -t build_args < <(podman_build_options)
  build_args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
  log "building $IMAGE from $BASE_IMAGE (this compiles the server)"
  started=$SECONDS
  if podman build "${build_args[@]}" \
    -t "$IMAGE" "$ROOT" > "$WORK/build.log" 2>&1; then
    pass "image builds ($((SECONDS - started)) s)"
  else
    tail -n 60 "$WORK/build.log" >&2
    fail "image build (see output above)"
    summary
    exit 1
  fi
elif ! podman image exists "$IMAGE"; then
  fail "image $IMAGE does not exist (run without --no-build)"
  summary
  exit 1
fi

# --- Image metadata -----------------------------------------------------------
size_bytes="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
size_mb="$(awk -v b="$size_bytes" 'BEGIN { printf "%.1f", b / 1000000 }')"
if [ "$size_bytes" -le $((MAX_MB * 1000000)) ]; then
  pass "image size ${size_mb} MB (budget ${MAX_MB} MB)"
else
  fail "image size ${size_mb} MB exceeds ${MAX_MB} MB"
fi

config_user="$(podman image inspect --format '{{.Config.User}}' "$IMAGE")"
case "$config_user" in
  "" | 0 | 0:* | root | root:*) fail "image USER is '${config_user:-unset}' (expected non-root)" ;;
  *) pass "image USER is $config_user" ;;
esac

# --- Run ---------------------------------------------------------------------
if curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2> /dev/null; then
  fail "port 127.0.0.1:$PORT is already in use (set OCL_SMOKE_PORT)"
  summary
  exit 1
fi

log "starting $NAME on 127.0.0.1:$PORT"
# Without systemd podman cannot schedule health checks (it logs that it tried):
# the check is run by hand below.
if ! podman run -d --name "$NAME" \
  --health-interval=disable \
  -p "127.0.0.1:$PORT:8000" \
  -e SECRET_KEY="smoke-test-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  -e RENDER_EXTERNAL_HOSTNAME="$PUBLIC_HOST" \
  -e LOG_LEVEL=info \
  "$IMAGE" > /dev/null 2> "$WORK/run.err"; then
  cat "$WORK/run.err" >&2
  fail "podman run failed"
  summary
  exit 1
fi

BASE_URL="http://127.0.0.1:$PORT"
ready=0
for _ in $(seq 1 60); do
  if [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" != true ]; then
    break
  fi
  if curl -fs -o /dev/null "$BASE_URL/healthz"; then
    ready=1
    break
  fi
  sleep 0.5
done
if [ "$ready" -eq 1 ]; then
  pass "container started and answers on $BASE_URL"
else
  podman logs "$NAME" 2>&1 | tail -n 40 >&2 || true
  fail "container did not become ready within 30 s"
  summary
  exit 1
fi

# check_page PATH EXPECTED_TEXT...: 200 and every expected text in the body.
check_page() {
  local path="$1"; shift
  local body="$WORK/body" code text
  code="$(curl -s -o "$body" -w '%{http_code}' -H "Host: $PUBLIC_HOST" "$BASE_URL$path" || true)"
  if [ "$code" != 200 ]; then
    fail "GET $path answered $code (expected 200)"
    return
  fi
  for text in "$@"; do
    if ! grep -qF -- "$text" "$body"; then
      fail "GET $path is missing \"$text\""
      return
    fi
  done
  if [ $# -gt 0 ]; then
    pass "GET $path 200, contains \"$*\""
  else
    pass "GET $path 200"
  fi
}

check_page / "Welcome to the new Holiday Homes"
check_page /lettings/ "Oceanview Retreat"
check_page /profiles/
check_page /healthz
check_page /readyz

# A stylesheet referenced by the home page must be served from the image.
curl -s -H "Host: $PUBLIC_HOST" "$BASE_URL/" > "$WORK/home.html" || true
css="$(grep -oE 'href="[^"]*bootstrap[^"]*\.css"' "$WORK/home.html" | head -n 1 | sed -e 's/^href="//' -e 's/"$//')"
if [ -z "$css" ]; then
  fail "home page links no Bootstrap stylesheet"
else
  case "$css" in
    http://* | https://* | //*) fail "Bootstrap stylesheet is not served locally: $css" ;;
    *) check_page "$css" ;;
  esac
fi

# Unknown hosts are refused (ALLOWED_HOSTS), the loopback address included; health checks are not.
for host in evil.example "127.0.0.1:$PORT"; do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" "$BASE_URL/" || true)"
  if [ "$code" = 400 ]; then
    pass "GET / with Host: $host refused (400)"
  else
    fail "GET / with Host: $host answered $code (expected 400)"
  fi
done
code="$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/healthz" || true)"
if [ "$code" = 200 ]; then
  pass "GET /healthz with Host: 127.0.0.1:$PORT answered 200"
else
  fail "GET /healthz with Host: 127.0.0.1:$PORT answered $code (expected 200)"
fi

# --- Version -------------------------------------------------------------------
if [ -n "$VERSION" ]; then
  label="$(podman image inspect --format '{{index .Labels "org.opencontainers.image.version"}}' "$IMAGE")"
  reported="$(podman run --rm --health-interval=disable "$IMAGE" --version 2>/dev/null || true)"
  if [ "$label" = "$VERSION" ] && [ "$reported" = "oc-lettings $VERSION" ] \
    && grep -qF "Version <span>$VERSION</span>" "$WORK/home.html"; then
    pass "version $VERSION in the image label, --version and the footer"
  else
    fail "version: label '$label', --version '$reported', footer $(grep -o 'Version <span>[^<]*' "$WORK/home.html")"
  fi
fi

# --- Process identity ------------------------------------------------------------
proc_user="$(podman top "$NAME" user huser | awk 'NR > 1 { print $1 " " $2; exit }')"
case "$proc_user" in
  "") fail "could not read the container process user" ;;
  root\ * | 0\ *) fail "server process runs as root ($proc_user)" ;;
  *) pass "server process runs unprivileged (container user / host user: $proc_user)" ;;
esac

# --- Health check ---------------------------------------------------------------
# Without systemd podman does not schedule health checks, so run one directly: the image's own
# HEALTHCHECK command, then the state podman records from it.
health="$(podman healthcheck run "$NAME" 2>&1)" || true
status="$(podman inspect --format '{{.State.Health.Status}}' "$NAME" 2>/dev/null || true)"
if [ "$status" = healthy ]; then
  pass "HEALTHCHECK: $status"
else
  fail "HEALTHCHECK: '${status:-no state}' ${health}"
fi

# --- Graceful stop ----------------------------------------------------------------
started=$SECONDS
podman stop -t 10 "$NAME" > /dev/null 2> "$WORK/stop.err" || cat "$WORK/stop.err" >&2
elapsed=$((SECONDS - started))
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$NAME")"
if [ "$exit_code" = 0 ] && [ "$elapsed" -le 5 ]; then
  pass "SIGTERM stop: exit code 0 after ${elapsed} s"
else
  podman logs "$NAME" 2>&1 | tail -n 20 >&2 || true
  fail "SIGTERM stop: exit code $exit_code after ${elapsed} s (expected 0 within 5 s)"
fi

# --- Restart on the same volume ------------------------------------------------------
# A second start finds the database already migrated and filled: it must come up
# again (migrations and demo loading are no-ops) with the same data.
if podman start "$NAME" > /dev/null 2> "$WORK/start.err"; then
  ready=0
  for _ in $(seq 1 60); do
    if curl -fs -o /dev/null "$BASE_URL/healthz"; then
      ready=1
      break
    fi
    [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = true ] || break
    sleep 0.5
  done
  # The page is read whole first: `curl | grep -q` fails under pipefail when grep exits early.
  lettings_page="$(curl -fs -H "Host: $PUBLIC_HOST" "$BASE_URL/lettings/" || true)"
  if [ "$ready" -eq 1 ] && [[ "$lettings_page" == *"Oceanview Retreat"* ]]; then
    pass "restart on the existing /data volume keeps serving the data"
  else
    podman logs "$NAME" 2>&1 | tail -n 20 >&2 || true
    fail "restart on the existing /data volume"
  fi
  podman stop -t 10 "$NAME" > /dev/null 2>&1 || true
else
  cat "$WORK/start.err" >&2
  fail "podman start after the stop"
fi

if podman logs "$NAME" 2>&1 | grep -qiE 'segmentation fault|terminate called|core dumped'; then
  fail "container log shows a crash"
fi

summary
[ "$FAILED" -eq 0 ]
