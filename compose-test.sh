#!/usr/bin/env bash
# Tests the docker-compose deployment against a real Docker engine: builds the images, starts
# every service scaled out behind nginx, drives clients through the load balancer on 127.0.0.1,
# kills a gateway container, prints a report, and always removes what it started.
#
# Needs root on Debian (or a Docker engine and docker-compose already there). Nothing is pulled:
# the base images are built from Debian packages (deploy/images/build-base-images.sh).
#
# Environment:
#   COMPOSE_TEST_PROJECT   compose project name (switchboard-compose-test)
#   COMPOSE_TEST_SCALE     replicas, "gateway=3 signaling=2 sse=2 echo=2" by default
#   COMPOSE_CMD            "docker-compose" (default) or "docker compose"
#   COMPOSE_TEST_KEEP      1 to leave the deployment running after the test
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

project=${COMPOSE_TEST_PROJECT:-switchboard-compose-test}
scale=${COMPOSE_TEST_SCALE:-gateway=3 signaling=2 sse=2 echo=2}
read -r -a compose_cmd <<<"${COMPOSE_CMD:-docker-compose}"
work=$root/target/compose-test
mkdir -p "$work"
started_dockerd=
deployed=

log() { printf '[compose-test] %s\n' "$*"; }

compose() { "${compose_cmd[@]}" -p "$project" -f "$root/docker-compose.yml" "$@"; }

ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || [[ ${compose_cmd[0]} != docker-compose ]] \
    || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v curl >/dev/null || missing+=(curl)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]}"
    apt-get update -q >"$work/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
      >>"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log"; return 1; }
  fi
}

ensure_daemon() {
  if docker info >/dev/null 2>&1; then
    return
  fi
  log "starting dockerd (log: $work/dockerd.log)"
  dockerd >"$work/dockerd.log" 2>&1 &
  started_dockerd=$!
  local i
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return
    kill -0 "$started_dockerd" 2>/dev/null || break
    sleep 1
  done
  tail -n 30 "$work/dockerd.log"
  log "dockerd did not start"
  return 1
}

# The jars are rebuilt only when missing or older than the sources they are built from.
ensure_jars() {
  local service jar stale=
  for service in gateway echo sse signaling; do
    jar=$service-service/target/$service-service.jar
    if [[ ! -f $jar ]] || [[ -n $(find pom.xml common/pom.xml common/src "$service-service/pom.xml" \
        "$service-service/src" -newer "$jar" -print -quit 2>/dev/null) ]]; then
      stale=1
    fi
  done
  if [[ -n $stale ]]; then
    log "building the service jars"
    mvn -B -q -DskipTests package -pl gateway-service,echo-service,sse-service,signaling-service -am
  fi
}

ensure_client() {
  local dir=deploy/compose-test
  if [[ ! -d $dir/node_modules || $dir/package-lock.json -nt $dir/node_modules ]]; then
    log "installing the test client's packages"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1 \
      || { cat "$work/npm.log"; return 1; }
  fi
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
    console.log(s.address().port); s.close(); });'
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $deployed ]]; then
    compose logs --no-color >"$work/compose.log" 2>&1 || true
    if [[ $status -ne 0 ]]; then
      log "container logs: $work/compose.log"
    fi
    if [[ ${COMPOSE_TEST_KEEP:-} == 1 ]]; then
      log "leaving project $project running (COMPOSE_TEST_KEEP=1)"
    else
      log "docker-compose down"
      compose down --volumes --remove-orphans --timeout 10 >"$work/down.log" 2>&1 \
        || { cat "$work/down.log"; status=1; }
    fi
  fi
  if [[ -n $started_dockerd && ${COMPOSE_TEST_KEEP:-} != 1 ]]; then
    kill "$started_dockerd" 2>/dev/null && wait "$started_dockerd" 2>/dev/null || true
  fi
  log "$([[ $status -eq 0 ]] && echo passed || echo FAILED) in $((SECONDS))s"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_packages
ensure_daemon
log "base images"
deploy/images/build-base-images.sh
ensure_jars
ensure_client

export SWITCHBOARD_BIND=127.0.0.1
SWITCHBOARD_PORT=$(free_port)
export SWITCHBOARD_PORT

deployed=1
compose down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1 || true
log "${compose_cmd[*]} build"
compose build >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
scale_args=()
for s in $scale; do
  scale_args+=(--scale "$s")
done
# Start one replica of each service first and let them form the cluster, then scale out: on a
# small CI host, nine JVMs starting at the same instant can miss each other's join window.
log "${compose_cmd[*]} up -d with one replica of each service (load balancer on 127.0.0.1:$SWITCHBOARD_PORT)"
compose up -d --scale gateway=1 --scale signaling=1 --scale sse=1 --scale echo=1 >"$work/up.log" 2>&1 \
  || { cat "$work/up.log"; exit 1; }
ready_deadline=$((SECONDS + 240))
until curl -fsS -o /dev/null "http://127.0.0.1:$SWITCHBOARD_PORT/ready"; do
  if (( SECONDS > ready_deadline )); then
    log "the first replicas did not become ready within 240 s"
    compose logs --tail 40 >&2 || true
    exit 1
  fi
  sleep 2
done
log "${compose_cmd[*]} up -d ${scale_args[*]}"
compose up -d "${scale_args[@]}" >>"$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }

node deploy/compose-test/check.mjs --base "http://127.0.0.1:$SWITCHBOARD_PORT" --project "$project"
