#!/usr/bin/env bash
# SQL injection scan: runs sqlmap (Debian's package) in batch mode against every public URL and the admin, signed in.
#
# The server runs from the release build on a copy of the database, on 127.0.0.1 and a free port, with DEBUG off.
# Exits 1 when sqlmap reports an injectable parameter, when a target could not be tested, when the server answers
# 5xx or dies, or when the admin session was lost during the scan (the results would then be meaningless).
#
# Usage: scripts/security/sqlmap.sh [DATABASE.sqlite3]
#   DATABASE defaults to tests/data/django-site.sqlite3 (the Django site's database); it is never written.
# Environment:
#   OCL_BINARY        server binary (default build/release/oc-lettings, built with the release preset if missing)
#   ADMIN_USERNAME    staff account to sign in with (default admin)
#   ADMIN_PASSWORD    its password (default Abc1234!, the fixture database's)
#   SQLMAP_LEVEL      sqlmap --level (default 3)
#   SQLMAP_RISK       sqlmap --risk (default 2; 3 adds OR payloads, which would rewrite whole tables on UPDATEs)
#   SQLMAP_TIME_SEC   sqlmap --time-sec for time-based payloads (default 1: the server answers in milliseconds)
#   SQLMAP_THREADS    sqlmap --threads (default 2)
#   SQLMAP_TARGETS    extended regular expression: only targets whose name matches are scanned (default all)
#   KEEP_WORKDIR=1    keep the temporary folder (database copy, server log, sqlmap logs) and print its path
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
database="${1:-$repo_root/tests/data/django-site.sqlite3}"
binary="${OCL_BINARY:-$repo_root/build/release/oc-lettings}"
username="${ADMIN_USERNAME:-admin}"
password="${ADMIN_PASSWORD:-Abc1234!}"
level="${SQLMAP_LEVEL:-3}"
risk="${SQLMAP_RISK:-2}"
time_sec="${SQLMAP_TIME_SEC:-1}"
threads="${SQLMAP_THREADS:-2}"
only="${SQLMAP_TARGETS:-.}"

for tool in sqlmap curl python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "sqlmap.sh: $tool is missing (apt-get install -y sqlmap curl)" >&2
    exit 2
  fi
done
if [[ ! -f "$database" ]]; then
  echo "sqlmap.sh: no database at $database (pass one as the first argument)" >&2
  exit 2
fi
if [[ ! -x "$binary" ]]; then
  echo "== building $binary (release preset)"
  (cd "$repo_root" && cmake --preset release >/dev/null && cmake --build --preset release --target oc-lettings)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ocl-sqlmap.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ "${KEEP_WORKDIR:-0}" == 1 ]]; then
    echo "work folder kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

cp "$database" "$work/db.sqlite3"
mkdir -p "$work/logs" "$work/sqlmap"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
server_log="$work/server.log"

# From the work folder, so no .env of the checkout is read.
(
  cd "$work"
  exec env DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DATABASE_URL="sqlite:///$work/db.sqlite3" STATIC_ROOT="$repo_root/static" LOG_LEVEL=INFO SENTRY_DSN= \
    "$binary" serve --host 127.0.0.1 --port "$port"
) >"$server_log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  if curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "sqlmap.sh: the server did not start:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  sleep 0.1
done

# ---- sign in to the admin as a browser would: GET the form (csrftoken cookie + token), POST it ----
jar="$work/cookies.txt"
form_token() {  # the csrfmiddlewaretoken of the form at $1
  curl -fsS -b "$jar" -c "$jar" "$base$1" | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -n 1
}
cookie_value() {  # the value of cookie $1 in the jar (HttpOnly cookies are stored as "#HttpOnly_host")
  awk -v name="$1" -F '\t' '$6 == name { value = $7 } END { print value }' "$jar"
}
login_token="$(form_token /admin/login/)"
login_status="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -b "$jar" -c "$jar" \
  --data-urlencode "csrfmiddlewaretoken=$login_token" --data-urlencode "username=$username" \
  --data-urlencode "password=$password" --data-urlencode "next=/admin/" "$base/admin/login/")"
if [[ "$login_status" != "302 $base/admin/" ]]; then
  echo "sqlmap.sh: admin sign-in failed (HTTP $login_status)" >&2
  exit 1
fi
session="$(cookie_value sessionid)"
cookie="sessionid=$session; csrftoken=$(cookie_value csrftoken)"
token="$(form_token /admin/)"
if [[ -z "$session" || -z "$token" ]]; then
  echo "sqlmap.sh: no session cookie or CSRF token after sign-in" >&2
  exit 1
fi
admin_status() {
  curl -sS -o /dev/null -w '%{http_code}' -b "$cookie" "$base/admin/"
}

# Objects the forms below refer to: a group (the fixture has none) and an address no letting uses yet.
created_id() {  # POST form data $2 to the add page $1 with "_continue"; prints the new object's id
  curl -sS -o /dev/null -w '%{redirect_url}' -b "$cookie" --data "csrfmiddlewaretoken=$token&$2&_continue=1" \
    "$base$1" | sed -n 's|.*/\([0-9][0-9]*\)/change/$|\1|p'
}
group_id="$(created_id /admin/auth/group/add/ 'name=Scanners')"
address_id="$(created_id /admin/lettings/address/add/ \
  'number=12&street=Scan+Street&city=Testville&state=CA&zip_code=90001&country_iso_code=USA')"
if [[ -z "$group_id" || -z "$address_id" ]]; then
  echo "sqlmap.sh: could not create the group and address the forms need" >&2
  exit 1
fi

# ---- targets: name | URL ("*" marks a path segment to inject) | POST data (empty for GET) | options ----
# sqlmap never receives /admin/logout/ or the password-change URLs, and ignores the server's Set-Cookie headers
# (--drop-set-cookie), so the session stays the one signed in above. The CSRF cookie and form field carry no data
# to the database and are skipped; so are the request headers, except on the "headers-*" targets.
csrf="csrfmiddlewaretoken=$token"
skip_all="csrftoken,sessionid,csrfmiddlewaretoken,User-Agent,Referer"
targets=(
  # Public site.
  "headers-home|/||-p User-Agent,Referer"
  "headers-lettings|/lettings/||-p User-Agent,Referer"
  "headers-profiles|/profiles/||-p User-Agent,Referer"
  "letting|/lettings/1*/||"
  "letting-legacy|/lettings/lettings/1*/||"
  "profile|/profiles/4meRomance*/||"
  "profile-legacy|/profiles/profiles/4meRomance*/||"
  "lettings-page|/lettings/?page=1||"
  "profiles-page|/profiles/?page=1||"
  # The session cookie is looked up in django_session on every admin request.
  "admin-session-cookie|/admin/||session-cookie"
  "headers-admin|/admin/||-p User-Agent,Referer"
  # Change lists: search, ordering, page and the list filters.
  "address-list|/admin/lettings/address/?q=Bedford&o=2.-1&p=1||"
  "letting-list|/admin/lettings/letting/?q=Joshua&o=-1.2&p=1||"
  "profile-list|/admin/profiles/profile/?q=Buenos&o=1.-2&p=1||"
  "user-list|/admin/auth/user/?q=John&o=1&p=1&is_staff__exact=0&is_superuser__exact=0&is_active__exact=1||"
  "group-list|/admin/auth/group/?q=Scan&o=1&p=1||"
  # The change list's action form (without "post=yes" it only shows the confirmation page).
  "letting-list-action|/admin/lettings/letting/|$csrf&action=delete_selected&_selected_action=1|"
  # Object pages: the id in the path.
  "letting-change-get|/admin/lettings/letting/1*/change/||"
  "letting-history|/admin/lettings/letting/1*/history/||"
  "letting-delete-get|/admin/lettings/letting/1*/delete/||"
  "user-password-get|/admin/auth/user/2*/password/||"
  # Change forms (they save on the temporary copy).
  "address-change|/admin/lettings/address/1/change/|$csrf&number=7217&street=Bedford+Street&city=Brunswick&state=GA&zip_code=31525&country_iso_code=USA|"
  "letting-change|/admin/lettings/letting/1/change/|$csrf&title=Joshua+Tree+Green+Haus&address=1|"
  "profile-change|/admin/profiles/profile/1/change/|$csrf&user=5&favorite_city=Buenos+Aires|"
  "user-change|/admin/auth/user/2/change/|$csrf&username=4meRomance&first_name=John&last_name=Rodriguez&email=coemperor%40famemma.net&is_active=on&user_permissions=1&groups=$group_id|"
  "group-change|/admin/auth/group/$group_id/change/|$csrf&name=Scanners&permissions=1|"
  # Add forms: the first request creates the object; then the uniqueness checks refuse the letting and profile
  # payloads, while the address and group forms save most of them.
  "letting-add|/admin/lettings/letting/add/|$csrf&title=Scan+Cottage&address=$address_id|"
  "profile-add|/admin/profiles/profile/add/|$csrf&user=6&favorite_city=Testville|"
  # Adds about a thousand addresses, each an option of the letting forms' address list: after the letting forms.
  "address-add|/admin/lettings/address/add/|$csrf&number=1&street=Scan+Road&city=Testville&state=CA&zip_code=90002&country_iso_code=USA|"
  "group-add|/admin/auth/group/add/|$csrf&name=Scan+Group&permissions=2|"
  # Different passwords: the username checks run, no password is hashed and no user is created.
  "user-add|/admin/auth/user/add/|$csrf&username=scanuser&password1=Wq8.first-Pass&password2=Wq8.other-Pass|"
  # Last, as it trips the sign-in throttle: after 5 failures from one address, sign-ins answer 429 for 15 minutes.
  "admin-login|/admin/login/|$csrf&username=nobody&password=wrong-Pass1&next=%2Fadmin%2F|"
)

requests_so_far() {
  grep -c 'logger=access' "$server_log" || true
}
errors_so_far() {
  grep 'logger=access' "$server_log" | grep -c ' status=5' || true
}

echo "== sqlmap $(sqlmap --version 2>/dev/null | head -n 1) against $base (level $level, risk $risk, time-sec $time_sec)"
printf '%-22s %-11s %9s %4s %6s  %s\n' TARGET RESULT REQUESTS 5XX SECONDS "PARAMETERS TESTED"
failed=0
total_requests=0
started=$SECONDS
for entry in "${targets[@]}"; do
  IFS='|' read -r name path data options <<<"$entry"
  if ! [[ "$name" =~ $only ]]; then
    continue
  fi
  log="$work/logs/$name.log"
  output="$work/sqlmap/$name"
  target_cookie="$cookie"
  if [[ "$options" == session-cookie ]]; then
    # sqlmap's injection marker: the session key is tested whatever the level, and nothing else of the cookies.
    target_cookie="sessionid=$session*; csrftoken=$(cookie_value csrftoken)"
    options=""
  fi
  arguments=(-u "$base$path" --batch --disable-coloring --flush-session --output-dir="$output"
    --level="$level" --risk="$risk" --time-sec="$time_sec" --threads="$threads"
    --cookie="$target_cookie" --drop-set-cookie)
  if [[ -n "$data" ]]; then
    arguments+=(--data="$data")
  fi
  if [[ -n "$options" ]]; then
    read -r -a extra <<<"$options"
    arguments+=("${extra[@]}")
  else
    arguments+=(--skip="$skip_all")
  fi
  requests_before="$(requests_so_far)"
  errors_before="$(errors_so_far)"
  target_started=$SECONDS
  sqlmap "${arguments[@]}" </dev/null >"$log" 2>&1 || true
  seconds=$((SECONDS - target_started))
  requests=$(($(requests_so_far) - requests_before))
  errors=$(($(errors_so_far) - errors_before))
  total_requests=$((total_requests + requests))
  tested="$(sed -n "s/.*\[WARNING\] \(.*\) does not seem to be injectable.*/\1/p" "$log" |
    sed "s/ parameter '/ /; s/^parameter '//; s/'$//" | paste -sd ',' - | sed 's/,/, /g')"
  found="$(grep -c -E "is vulnerable|identified the following injection point" "$log" || true)"
  # sqlmap's CSV lists every injection point it found, including those its own false-positive check rejected.
  csv="$(find "$output" -name 'results-*.csv' -exec cat {} + 2>/dev/null | grep -v '^Target URL,' || true)"
  rows="$(grep -v 'false positive' <<<"$csv" | grep -c . || true)"
  notes="$(grep 'false positive' <<<"$csv" | cut -d ',' -f 2,3 | tr ',' ' ' | paste -sd ';' - || true)"
  if [[ "$found" -gt 0 || "$rows" -gt 0 ]]; then
    result=INJECTABLE
  elif ! grep -q "all tested parameters do not appear to be injectable" "$log"; then
    result=NOT-TESTED
  elif [[ "$errors" -gt 0 ]]; then
    result=SERVER-5XX
  elif [[ "$(admin_status)" != 200 ]]; then
    result=SESSION-LOST
  elif ! kill -0 "$server_pid" 2>/dev/null; then
    result=SERVER-DIED
  else
    result=clean
  fi
  printf '%-22s %-11s %9d %4d %6d  %s\n' "$name" "$result" "$requests" "$errors" "$seconds" "${tested:-none}"
  if [[ -n "$notes" ]]; then
    echo "    note: heuristic hit rejected by sqlmap's false-positive check: $notes"
  fi
  if [[ "$result" != clean ]]; then
    failed=1
    echo "---- $path: sqlmap's findings and errors ($log)"
    grep -E "injectable|injection point|is vulnerable|\[CRITICAL\]|\[ERROR\]|Parameter:|Type:|Payload:" "$log" |
      grep -v "does not seem to be injectable\|might not be injectable" | sed 's/^/    /' || true
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "sqlmap.sh: the server stopped; its last lines:" >&2
    tail -n 20 "$server_log" >&2
    exit 1
  fi
done
echo "== $total_requests requests in $((SECONDS - started)) s"
echo "== server warnings and errors ($(grep -c 'sign-in refused (throttled)' "$server_log" || true) throttled sign-ins left out):"
grep -v 'logger=access' "$server_log" | grep -E 'level=(warn|warning|err|error|critical) ' |
  grep -v 'sign-in refused (throttled)\|sign-in locked for' | cut -d ' ' -f 2- | cut -c 1-160 |
  sort | uniq -c | sort -rn | head -n 20 || true
if [[ "$failed" != 0 ]]; then
  echo "sqlmap.sh: FAILED (see above)"
  exit 1
fi
echo "sqlmap.sh: no injectable parameter found"
