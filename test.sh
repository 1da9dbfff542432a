#!/usr/bin/env bash
# Runs the whole Switchboard test suite. On a fresh machine it first installs what the tests need.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing ${missing[*]}"
    if [ -z "${APT_UPDATED:-}" ]; then
      apt-get update -qq
      APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

command -v java >/dev/null || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null || apt_install maven

# --- Browser tests (browser-tests module): Debian's Chromium and its driver, never a download. ---
apt_install chromium chromium-driver
# --- end of browser tests block ---

# --- Partition tests: network namespaces (ip) and packet filters (iptables). ---
apt_install iproute2 iptables

# --- Metrics tests: promtool, from Debian's prometheus package, lints what /metrics serves and checks
# the rules and configuration of deploy/prometheus (AlertRulesTest). ---
if ! command -v promtool >/dev/null; then
  log "Installing prometheus (for promtool)"
  [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

log "Build and test: unit, cluster, packaged-jar, chaos (short form) and browser tests (mvn verify)"
mvn -B verify

if [ -x ./compose-test.sh ] && [ "${SKIP_COMPOSE_TEST:-}" != "1" ]; then
  log "docker-compose deployment test"
  ./compose-test.sh
fi

log "All tests passed"
