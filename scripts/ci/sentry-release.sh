#!/usr/bin/env bash
# Records VERSION (oc-lettings@0.1.N) in Sentry through its web API: a release of SENTRY_PROJECT,
# then a deploy of it to SENTRY_ENVIRONMENT (default production). Needs SENTRY_AUTH_TOKEN (scope
# project:releases), SENTRY_ORG and SENTRY_PROJECT; when one is unset it says so in one line and
# does nothing. SENTRY_URL: a self-hosted Sentry (default https://sentry.io).
set -euo pipefail

version="${1:?usage: scripts/ci/sentry-release.sh VERSION}"
if [ -z "${SENTRY_AUTH_TOKEN:-}" ] || [ -z "${SENTRY_ORG:-}" ] || [ -z "${SENTRY_PROJECT:-}" ]; then
  echo "Sentry release skipped: SENTRY_AUTH_TOKEN, SENTRY_ORG and SENTRY_PROJECT are not all set"
  exit 0
fi
if [[ ! "$version" =~ ^[A-Za-z0-9._@+-]+$ ]]; then
  echo "sentry-release: '$version' is not a release name Sentry accepts here" >&2
  exit 2
fi
base="${SENTRY_URL:-https://sentry.io}/api/0/organizations/$SENTRY_ORG/releases"
environment="${SENTRY_ENVIRONMENT:-production}"
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

answer="$(mktemp)"
trap 'rm -f "$answer"' EXIT
# post PATH JSON: POST to Sentry; fails on anything but 2xx, showing Sentry's answer.
post() {
  local code
  code="$(curl --silent --show-error -o "$answer" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $SENTRY_AUTH_TOKEN" -H 'Content-Type: application/json' \
    --data "$2" "$base/$1")"
  [[ "$code" == 2* ]] || { echo "sentry-release: POST $base/$1 answered $code: $(cat "$answer")" >&2; return 1; }
}

post "" "{\"version\":\"$version\",\"projects\":[\"$SENTRY_PROJECT\"],\"ref\":\"${CIRCLE_SHA1:-}\",\"dateReleased\":\"$now\"}"
encoded="$(printf '%s' "$version" | sed -e 's/@/%40/g' -e 's/+/%2B/g')"
post "$encoded/deploys/" "{\"environment\":\"$environment\",\"name\":\"${version#*@}\",\"dateFinished\":\"$now\"}"
echo "Sentry: release $version recorded, deployed to $environment"
