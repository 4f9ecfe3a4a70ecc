#!/usr/bin/env bash
# Sourced by the scripts that start servers: loopback ports and waiting for a URL.

# free_port: a loopback port nothing listens on now (bash alone: a bare Debian 12 has no python3).
# Below Linux's ephemeral range (32768 and up), so no outgoing connection holds it while a server
# binds it. A caller that loses a race for it retries with another.
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# wait_for_url URL SECONDS [CURL_ARGS...]: true once URL answers 2xx, false after SECONDS.
wait_for_url() {
  local url="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    curl -fs -o /dev/null --max-time 2 "$@" "$url" && return 0
    sleep 0.2
  done
  return 1
}
