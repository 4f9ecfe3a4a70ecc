#!/usr/bin/env bash
# Rehearses delivery end to end on this machine, on 127.0.0.1 only: CircleCI's build-publish job
# (its own steps, read from .circleci/config.yml, with `docker` provided by podman) against real
# stand-ins: a Docker registry with htpasswd users (Debian's docker-registry), a registry mirror
# holding the Debian base image, Render (deploy hook and API, the service of render.yaml behind
# HAProxy terminating TLS for its public host name) and Sentry (releases, deploys, events).
# Then, under steady load through the proxy, deploys in a row must lose no request:
#   build 1 -> 0.1.1 (first deploy), admin data written, image smoke-tested;
#   build 2 -> 0.1.2 under load; rollback to 0.1.1 under load; a broken image refused under load;
#   a wrong registry token fails the job; the same service on PostgreSQL (DATABASE_URL), a deploy
#   under load keeps the data written before it.
# Everything it starts is removed at the end. Prints a line of figures per deploy.
#   scripts/ci/rehearse-deploy.sh [--keep-work]
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
keep_work=0
[ "${1:-}" = --keep-work ] && keep_work=1
scratch="$(mktemp -d "${TMPDIR:-/tmp}/ocl-rehearsal.XXXXXX")"
chmod 755 "$scratch"
# shellcheck source=scripts/lib/net.sh
source "$repo_root/scripts/lib/net.sh"
# shellcheck source=scripts/ci/tools.sh
source "$repo_root/scripts/ci/tools.sh"
# shellcheck source=scripts/ci/podman-env.sh
source "$repo_root/scripts/ci/podman-env.sh"

log() { printf '\n[rehearsal %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[rehearsal] FAIL: %s\n' "$*" >&2; exit 1; }

pids=()
cleanup() {
  local rc=$?
  set +e
  [ -n "${standins_pid:-}" ] && kill -TERM "$standins_pid" 2>/dev/null && wait "$standins_pid" 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  podman ps -a --format '{{.Names}}' | grep '^ocl-render-' | xargs -r podman rm -f -t 0 >/dev/null 2>&1
  podman volume ls --format '{{.Name}}' | grep '^ocl-render-disk-' | xargs -r podman volume rm -f >/dev/null 2>&1
  podman images --format '{{.Repository}}:{{.Tag}}' |
    grep -E "^(127\.0\.0\.1:(${registry_port:-x}|${mirror_port:-x})/|docker\.io/library/debian:bookworm-slim$)" |
    xargs -r podman rmi -f >/dev/null 2>&1
  podman image prune -f >/dev/null 2>&1
  [ -d "$scratch/postgres" ] && "$repo_root/scripts/postgres.sh" stop "$scratch/postgres" immediate >/dev/null 2>&1
  if [ "$keep_work" -eq 1 ]; then echo "work kept in $scratch"; else rm -rf "$scratch"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

use_podman "$scratch"
ensure_ci_tools
command -v wrk >/dev/null || "$repo_root/scripts/install-deps.sh" --test
export REGISTRY_AUTH_FILE="$scratch/auth.json"
echo "{}" >"$REGISTRY_AUTH_FILE"
export CONTAINERS_REGISTRIES_CONF="$scratch/registries.conf"
public_host="oc-lettings-url.onrender.com"
registry_port="$(free_port)"
mirror_port="$(free_port)"
front_port="$(free_port)"
registry="127.0.0.1:$registry_port"
docker_user=ocl
docker_token="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
repository="$registry/$docker_user/oc-lettings-docker-build"
front="https://$public_host:$front_port"
curl_front=(--silent --show-error --cacert "$scratch/front.pem" --resolve "$public_host:$front_port:127.0.0.1")

# --- Registries ---------------------------------------------------------------------------------
# registry NAME PORT [HTPASSWD]: a distribution registry storing under the work folder.
start_registry() {
  local name="$1" port="$2" users="${3:-}"
  mkdir -p "$scratch/$name"
  {
    printf 'version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: %s\n' "$scratch/$name"
    printf 'http:\n  addr: 127.0.0.1:%s\n  secret: %s\n' "$port" "$docker_token"
    [ -n "$users" ] && printf 'auth:\n  htpasswd:\n    realm: %s\n    path: %s\n' "$name" "$users"
  } >"$scratch/$name.yml"
  # The registry reads REGISTRY_* variables as settings: podman's REGISTRY_AUTH_FILE is not one.
  env -u REGISTRY_AUTH_FILE docker-registry serve "$scratch/$name.yml" >"$scratch/$name.log" 2>&1 &
  pids+=($!)
  local code
  for _ in $(seq 50); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)"
    [ "$code" = 200 ] || [ "$code" = 401 ] && return 0
    sleep 0.1
  done
  die "registry $name did not start: $(cat "$scratch/$name.log")"
}

log "registries: $registry (htpasswd user $docker_user), Docker Hub mirror 127.0.0.1:$mirror_port"
htpasswd -Bbn "$docker_user" "$docker_token" >"$scratch/htpasswd" 2>/dev/null
start_registry registry "$registry_port" "$scratch/htpasswd"
start_registry mirror "$mirror_port"
# The Dockerfile's FROM debian:bookworm-slim comes from the mirror: Docker Hub is out of reach here.
cat >"$scratch/registries.conf" <<EOF
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"

[[registry]]
prefix = "docker.io/library/debian"
location = "127.0.0.1:$mirror_port/library/debian"
insecure = true

[[registry]]
location = "127.0.0.1:$mirror_port"
insecure = true

[[registry]]
location = "$registry"
insecure = true
EOF
"$repo_root/scripts/image/make-base-image.sh"
podman push --quiet localhost/ocl-base/debian:bookworm "127.0.0.1:$mirror_port/library/debian:bookworm-slim"
code="$(curl -s -o /dev/null -w '%{http_code}' "http://$registry/v2/_catalog")"
[ "$code" = 401 ] || die "the registry answered $code without credentials (expected 401)"

# --- The platform's stand-ins -------------------------------------------------------------------
log "Render and Sentry stand-ins, HAProxy on 127.0.0.1:$front_port for https://$public_host"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$public_host" \
  -addext "subjectAltName=DNS:$public_host" -keyout "$scratch/front.key" -out "$scratch/front.pem" 2>/dev/null
cat "$scratch/front.pem" "$scratch/front.key" >"$scratch/front-bundle.pem"
hook_key="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
api_key="rnd_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
sentry_token="sntrys_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$scratch/render"
node "$CI_TOOLS_DIR/rehearsal/standins.mjs" --state-dir "$scratch/render" --render-yaml "$repo_root/render.yaml" \
  --image-url "$repository:latest" --registry-credentials "$docker_user:$docker_token" \
  --external-hostname "$public_host" --front-port "$front_port" --certificate "$scratch/front-bundle.pem" \
  --hook-key "$hook_key" --api-key "$api_key" --sentry-token "$sentry_token" --sentry-org oc-lettings \
  --sentry-project oc-lettings --ready-file "$scratch/standins.json" >"$scratch/standins.log" 2>&1 &
standins_pid=$!
for _ in $(seq 100); do [ -s "$scratch/standins.json" ] && break; sleep 0.1; done
[ -s "$scratch/standins.json" ] || die "stand-ins did not start: $(cat "$scratch/standins.log")"
# json_value EXPRESSION: EXPRESSION over `v`, the JSON read from stdin (node is here for the tools).
json_value() { node -p "(v => $1)(JSON.parse(require('fs').readFileSync(0, 'utf8')))"; }
render_url="$(json_value v.render <"$scratch/standins.json")"
sentry_url="$(json_value v.sentry <"$scratch/standins.json")"
service_id="$(json_value v.serviceId <"$scratch/standins.json")"
deploy_hook="$render_url/deploy/$service_id?key=$hook_key"
standin_state() { curl -fsS "$render_url/standin/state"; }
# set_service_env NAME VALUE: as in Render's dashboard (its API), for the next deploys.
set_service_env() {
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' \
    --data "{\"value\":\"$2\"}" "$render_url/v1/services/$service_id/env-vars/$1"
}
set_service_env SENTRY_DSN "http://rehearsalkey@${sentry_url#http://}/1"

job_env=(--env "DOCKER_USER=$docker_user" --env "DOCKER_REGISTRY=$registry" --env "DEPLOY_HOOK=$deploy_hook"
  --env "RENDER_API_KEY=$api_key" --env "RENDER_API_URL=$render_url/v1" --env "RENDER_DEPLOY_TIMEOUT=180"
  --env "SENTRY_AUTH_TOKEN=$sentry_token" --env SENTRY_ORG=oc-lettings --env SENTRY_PROJECT=oc-lettings
  --env "SENTRY_URL=$sentry_url")
# build_publish BUILD_NUMBER TOKEN: CircleCI's build-publish job, its steps from the config.
build_publish() {
  PATH="$repo_root/scripts/ci/docker-cli:$PATH" "$repo_root/scripts/ci/circleci-local.sh" --on-host \
    --build-num "$1" "${job_env[@]}" --env "DOCKER_TOKEN=$2" build-publish
}

# --- Checks -------------------------------------------------------------------------------------
page() { curl "${curl_front[@]}" "$@"; }
served_version() { page "$front/" | sed -n 's|.*Version <span>\([^<]*\)</span>.*|\1|p'; }
live_image() { standin_state | json_value 'v.deploys.find((d) => d.status === "live").image.ref'; }
expect_live() {
  local version
  version="$(served_version)"
  [ "$(live_image)" = "$repository:$1" ] || die "live deploy is $(live_image), expected $repository:$1"
  [ "$version" = "$1" ] || die "the site says version '$version', expected $1"
  echo "live: $repository:$1, the site says version $version"
}
# sign_in JAR: the admin's session cookie through the proxy.
sign_in() {
  local jar="$1" csrf
  page -c "$jar" -o /dev/null "$front/admin/login/"
  csrf="$(awk '$6 == "csrftoken" {print $7}' "$jar")"
  page -b "$jar" -c "$jar" -o /dev/null -H "Referer: $front/admin/login/" --data-urlencode "csrfmiddlewaretoken=$csrf" \
    --data-urlencode username=admin --data-urlencode 'password=Abc1234!' --data-urlencode next=/admin/ "$front/admin/login/"
  session="$(awk '$6 == "sessionid" {print $7}' "$jar")"
  [ -n "$session" ] || die "could not sign in to the admin through the proxy"
}
# add_address JAR STREET: an address written through the admin.
add_address() {
  local jar="$1" csrf code
  csrf="$(awk '$6 == "csrftoken" {print $7}' "$jar")"
  code="$(page -b "$jar" -o /dev/null -w '%{http_code}' -H "Referer: $front/admin/lettings/address/add/" \
    --data-urlencode "csrfmiddlewaretoken=$csrf" --data number=12 --data-urlencode "street=$2" --data city=Irvine \
    --data state=CA --data zip_code=92618 --data country_iso_code=USA --data _save=Save "$front/admin/lettings/address/add/")"
  [ "$code" = 302 ] || die "adding the address '$2' answered $code"
}
expect_address() {
  # The whole page first: `curl | grep -q` fails under pipefail when grep stops reading before curl is done.
  local listing
  listing="$(page -b "$1" "$front/admin/lettings/address/?q=${2// /+}")" || die "the address list did not load"
  grep -qF "$2" <<<"$listing" || die "the address '$2' is gone"
  echo "the address '$2' written before is there"
}
# under_load NAME COMMAND...: COMMAND while wrk loads the site; records the figures, fails on any loss.
figures=()
under_load() {
  local name="$1" started rc=0
  shift
  OCL_HOST="$public_host" OCL_SESSION="${session:-}" wrk -t1 -c16 -d600s --timeout 15s \
    -s "$CI_TOOLS_DIR/rehearsal/load.lua" "https://127.0.0.1:$front_port" >"$scratch/wrk-$name.log" 2>&1 &
  local wrk_pid=$!
  sleep 2
  started=$SECONDS
  "$@" || rc=$?
  sleep 3
  kill -INT "$wrk_pid"
  wait "$wrk_pid" || true
  local line
  line="$(grep '^load:' "$scratch/wrk-$name.log")" || die "no figures from wrk: $(cat "$scratch/wrk-$name.log")"
  figures+=("$name: $((SECONDS - started)) s, ${line#load: }")
  echo "$name: ${line#load: }"
  [[ "$line" == *" not_2xx=0 socket_errors=0 "* ]] || die "$name lost requests: $line"
  return "$rc"
}
expect_failure() {
  if "$@"; then die "'$*' succeeded; it had to fail"; fi
}
timed() {
  local name="$1" started=$SECONDS
  shift
  "$@"
  figures+=("$name: $((SECONDS - started)) s")
}

# --- The rehearsal ------------------------------------------------------------------------------
log "build 1: build-publish builds, pushes and deploys 0.1.1 (the service's first deploy)"
timed "build-publish 1 (image build, push, first deploy)" build_publish 1 "$docker_token"
expect_live 0.1.1
podman pull --quiet --creds "$docker_user:$docker_token" "$repository:0.1.1" >/dev/null
OCL_IMAGE="$repository:0.1.1" OCL_SMOKE_PORT="$(free_port)" "$repo_root/scripts/image/build-and-smoke-test.sh" \
  --no-build --version 0.1.1
jar="$scratch/cookies.txt"
sign_in "$jar"
add_address "$jar" "1 Rehearsal Avenue"

log "build 2 under load: build-publish deploys 0.1.2"
under_load "deploy 0.1.2 (build 2: build, push, deploy)" build_publish 2 "$docker_token"
expect_live 0.1.2
expect_address "$jar" "1 Rehearsal Avenue"

log "rollback to 0.1.1 under load, through the deploy hook"
under_load "rollback to 0.1.1" env DEPLOY_HOOK="$deploy_hook" RENDER_API_KEY="$api_key" \
  RENDER_API_URL="$render_url/v1" "$repo_root/scripts/ci/render-deploy.sh" "$repository:0.1.1"
expect_live 0.1.1
expect_address "$jar" "1 Rehearsal Avenue"

log "a broken image (its server exits at start) gets no traffic"
printf 'FROM %s\nCMD ["serve", "--port", "not-a-port"]\n' "$repository:0.1.2" >"$scratch/Broken.Containerfile"
podman build --quiet --format docker -t "$repository:0.1.3" -f "$scratch/Broken.Containerfile" "$scratch" >/dev/null
podman push --quiet "$repository:0.1.3"
under_load "broken 0.1.3 refused" expect_failure env DEPLOY_HOOK="$deploy_hook" RENDER_API_KEY="$api_key" \
  RENDER_API_URL="$render_url/v1" "$repo_root/scripts/ci/render-deploy.sh" "$repository:0.1.3"
expect_live 0.1.1

log "a wrong registry token fails build-publish before any deploy"
deploys_before="$(standin_state | json_value 'v.deploys.length')"
# Build 2 again: the same build arguments, so the image comes from the layer cache.
expect_failure build_publish 2 "wrong-$docker_token" >"$scratch/wrong-token.log" 2>&1
grep -q '"Push the image": failed' "$scratch/wrong-token.log" || die "the push step did not fail: $(tail -20 "$scratch/wrong-token.log")"
[ "$(standin_state | json_value 'v.deploys.length')" = "$deploys_before" ] || die "a deploy was requested after a failed push"
echo "the job failed at the push, nothing deployed"

log "Sentry: a release and a deploy per successful build, events named by their release"
sentry_state="$(curl -fsS "$sentry_url/standin/sentry")"
for version in 0.1.1 0.1.2; do
  [ "$(json_value "v.releases.some((r) => r.version === 'oc-lettings@$version' && r.deploys.some((d) => d.environment === 'production'))" \
    <<<"$sentry_state")" = true ] || die "no Sentry release and deploy for oc-lettings@$version"
done
[ "$(json_value 'v.calls.length > 0 && v.calls.every((c) => c.authorised)' <<<"$sentry_state")" = true ] ||
  die "a Sentry API call was missing or not authorised"
page -o /dev/null "$front/sentry-debug/"
releases=""
for _ in $(seq 50); do
  releases="$(curl -fsS "$sentry_url/standin/sentry" | json_value 'v.envelopes.flatMap((e) => e.items)
    .filter((i) => i.headers.type === "event" && i.payload.exception && (i.payload.request?.url ?? "").includes("/sentry-debug/"))
    .map((i) => i.payload.release).join(" ")')"
  [ -n "$releases" ] && break
  sleep 0.2
done
if [ "$releases" != "oc-lettings@0.1.1" ]; then
  curl -fsS "$sentry_url/standin/sentry" >"$scratch/sentry.json"
  die "the /sentry-debug/ error names release '${releases}', expected oc-lettings@0.1.1 (received: $scratch/sentry.json)"
fi
echo "releases and deploys recorded for 0.1.1 and 0.1.2; the live instance's error event names oc-lettings@0.1.1"

log "the same service on PostgreSQL (DATABASE_URL)"
database_url="$("$repo_root/scripts/postgres.sh" start "$scratch/postgres")"
set_service_env DATABASE_URL "$database_url"
timed "deploy 0.1.2 on PostgreSQL" env DEPLOY_HOOK="$deploy_hook" RENDER_API_KEY="$api_key" \
  RENDER_API_URL="$render_url/v1" "$repo_root/scripts/ci/render-deploy.sh" "$repository:0.1.2"
expect_live 0.1.2
rm -f "$jar"
sign_in "$jar"
add_address "$jar" "2 PostgreSQL Street"
under_load "deploy 0.1.1 on PostgreSQL" env DEPLOY_HOOK="$deploy_hook" RENDER_API_KEY="$api_key" \
  RENDER_API_URL="$render_url/v1" "$repo_root/scripts/ci/render-deploy.sh" "$repository:0.1.1"
expect_live 0.1.1
expect_address "$jar" "2 PostgreSQL Street"

image_size="$(podman image inspect --format '{{.Size}}' "$repository:0.1.1")"
log "passed"
printf '  %s\n' "${figures[@]}" "image $repository:0.1.1: $((image_size / 1000000)) MB"
