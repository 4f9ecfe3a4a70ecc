#!/usr/bin/env bash
# Asks Render to deploy IMAGE (registry/user/repository:tag) through the service's deploy hook
# (DEPLOY_HOOK, with its ?key=...). With RENDER_API_KEY set, it then follows that deploy through
# Render's API until it is live (exit 0) or has failed (exit 1), for at most RENDER_DEPLOY_TIMEOUT
# seconds (default 900); without it, it says so and stops at the request.
#   RENDER_API_URL  the API's base URL (default https://api.render.com/v1)
set -euo pipefail

image="${1:?usage: scripts/ci/render-deploy.sh IMAGE}"
: "${DEPLOY_HOOK:?DEPLOY_HOOK is not set (the deploy hook URL of the Render service)}"
api="${RENDER_API_URL:-https://api.render.com/v1}"
timeout="${RENDER_DEPLOY_TIMEOUT:-900}"

# json_field NAME: the first "NAME":"value" of the JSON on stdin (the answers are small and flat).
json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | cut -d '"' -f 4; }

answer="$(curl --fail --silent --show-error -G --data-urlencode "imgURL=$image" "$DEPLOY_HOOK")"
deploy="$(printf '%s' "$answer" | json_field id)"
echo "Render deploy ${deploy:-(no id in the answer)} requested for $image"

if [ -z "${RENDER_API_KEY:-}" ]; then
  echo "RENDER_API_KEY is not set: not waiting for the deploy to go live (see the Render dashboard)"
  exit 0
fi
service="$(printf '%s' "$DEPLOY_HOOK" | sed -n 's|.*/deploy/\(srv-[^?/]*\).*|\1|p')"
if [ -z "$deploy" ] || [ -z "$service" ]; then
  echo "render-deploy: cannot follow the deploy (service '${service}', deploy '${deploy}')" >&2
  exit 1
fi
started=$SECONDS
last=""
while ((SECONDS - started < timeout)); do
  status="$(curl --fail --silent --show-error -H "Authorization: Bearer $RENDER_API_KEY" \
    "$api/services/$service/deploys/$deploy" | json_field status)"
  if [ "$status" != "$last" ]; then
    echo "$(date -u +%H:%M:%S) deploy $deploy: $status"
    last="$status"
  fi
  case "$status" in
    live) echo "Render deploy $deploy is live after $((SECONDS - started)) s"; exit 0 ;;
    build_failed | update_failed | pre_deploy_failed | canceled | deactivated)
      echo "render-deploy: deploy $deploy ended as $status" >&2
      exit 1
      ;;
  esac
  sleep 2
done
echo "render-deploy: deploy $deploy not live after ${timeout} s (last status: ${last:-unknown})" >&2
exit 1
