#!/usr/bin/env bash
# Tests the docker-compose deployment against a real Docker engine, under docker-compose v1 and then
# under docker compose v2: for each, builds the images, starts every service scaled out behind
# nginx with the one-line `up` of the README, drives clients through the load balancer on
# 127.0.0.1, kills a gateway container, scales out and in, prints a report, and always removes
# what it started. The `monitoring` profile runs too (COMPOSE_PROFILES=monitoring, which both compose
# versions read, so every compose command of the test includes it): check.mjs asks Prometheus, on a
# free port of 127.0.0.1, whether every replica is an `up` target, and whether the targets follow
# the scaling.
#
# The deployment runs as the README sets it up, with AUTH_MODE=jwt: the test makes a random
# AUTH_JWT_SECRET for each run (exported, so a .env of the checkout is neither needed nor
# touched), mints the client's tokens with `switchboard.jar token` on the host, and hands them to
# check.mjs, which sends them with every request but the public ones.
#
# Needs root on Debian (or a Docker engine and both compose versions already there). Nothing is
# pulled: the base images are built from Debian packages (deploy/images/build-base-images.sh), and
# compose v2 is the CLI plugin of Debian trixie's docker-compose package (see ensure_compose_v2).
#
# Environment:
#   COMPOSE_TEST_PROJECT   compose project name (switchboard-compose-test)
#   COMPOSE_TEST_SCALE     replicas, "gateway=3 signaling=2 sse=2 echo=2" by default
#   COMPOSE_CMD            run under this compose command only: "docker-compose" (v1) or
#                          "docker compose" (v2); unset, the test runs under both, v1 first
#   COMPOSE_TEST_KEEP      1 to leave the deployment of the last run going after the test
#   COMPOSE_TEST_PARTITION 0 to skip the network partition, which runs in the last run only
#                          (under v2 when both run) as it adds about 1.5 minutes
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
. "$root/deploy/images/debian-mirror.sh"

project=${COMPOSE_TEST_PROJECT:-switchboard-compose-test}
scale=${COMPOSE_TEST_SCALE:-gateway=3 signaling=2 sse=2 echo=2}
# A majority of the data members the scale runs, as docs/deployment.md asks, unless set.
if [[ -z ${CLUSTER_MIN_DATA_MEMBERS:-} ]]; then
  data_members=0
  for s in $scale; do
    case $s in sse=* | signaling=*) data_members=$((data_members + ${s#*=})) ;; esac
  done
  export CLUSTER_MIN_DATA_MEMBERS=$((data_members / 2 + 1))
fi
if [[ -n ${COMPOSE_CMD:-} ]]; then
  commands=("$COMPOSE_CMD")
else
  commands=("docker-compose" "docker compose")
fi
work=$root/target/compose-test
mkdir -p "$work"
started_dockerd=
deployed=
compose_cmd=()
run_dir=$work

log() { printf '[compose-test] %s\n' "$*"; }

compose() { "${compose_cmd[@]}" -p "$project" -f "$root/docker-compose.yml" "$@"; }

# True when the test runs under the given compose command.
wants() {
  local c
  for c in "${commands[@]}"; do
    [[ $c == "$1" ]] && return 0
  done
  return 1
}

# Short name of a compose command for logs and directories: v1, v2, or the command itself.
label() {
  case $1 in
    docker-compose) echo v1 ;;
    "docker compose") echo v2 ;;
    *) echo "${1// /-}" ;;
  esac
}

ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  if wants docker-compose; then
    command -v docker-compose >/dev/null || missing+=(docker-compose)
  fi
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
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

# Compose v2 is not packaged for bookworm; Debian trixie packages it (2.26) as a CLI plugin that
# needs only glibc >= 2.34. Its binary is taken from the trixie package without adding trixie to
# this machine's apt sources and without dpkg -i, which would replace the docker-compose (v1)
# package: apt reads a temporary sources list for trixie on the mirror this machine already uses,
# with its own package lists and cache, and everything temporary is removed afterwards.
ensure_compose_v2() {
  if docker compose version >/dev/null 2>&1; then
    return
  fi
  local glibc
  glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
  if [[ -z $glibc ]] || ! printf '2.34\n%s\n' "$glibc" | sort -V -C; then
    log "docker compose v2 from Debian trixie needs glibc 2.34 or later; this machine has ${glibc:-none}"
    return 1
  fi
  local tmp status=0
  tmp=$(mktemp -d /var/tmp/switchboard-compose-v2.XXXXXX)
  install_compose_plugin "$tmp" || status=$?
  rm -rf "$tmp"
  [[ $status -eq 0 ]] || return "$status"
  local client version
  for client in $(type -ap docker | xargs -r -n1 readlink -f | awk '!seen[$0]++'); do
    if ! version=$("$client" compose version --short 2>/dev/null); then
      log "$client does not find the compose plugin in /usr/libexec/docker/cli-plugins"
      return 1
    fi
    log "$client compose: version $version"
  done
}

install_compose_plugin() {
  local tmp=$1 mirror keyring signed_by= deb
  mirror=$(debian_mirror)
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [[ -f $keyring ]] && signed_by="[signed-by=$keyring] "
  log "installing docker compose v2: the CLI plugin of docker-compose from trixie on $mirror"
  echo "deb ${signed_by}$mirror trixie main" >"$tmp/trixie.list"
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/deb" "$tmp/root"
  local apt_opts=(
    -o "Dir::Etc::sourcelist=$tmp/trixie.list" -o Dir::Etc::sourceparts=-
    -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp/cache"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
    -o APT::Sandbox::User=root
  )
  apt-get "${apt_opts[@]}" update >"$work/compose-v2-install.log" 2>&1 \
    && (cd "$tmp/deb" && apt-get "${apt_opts[@]}" download docker-compose/trixie) \
      >>"$work/compose-v2-install.log" 2>&1 \
    || { tail -n 20 "$work/compose-v2-install.log"; return 1; }
  deb=$(ls "$tmp"/deb/docker-compose_*.deb) || return 1
  log "extracting usr/libexec/docker/cli-plugins/docker-compose from $(basename "$deb")"
  dpkg -x "$deb" "$tmp/root" || return 1
  install -D -m 0755 "$tmp/root/usr/libexec/docker/cli-plugins/docker-compose" \
    /usr/libexec/docker/cli-plugins/docker-compose || return 1
}

# The jars are rebuilt only when missing or older than the sources they are built from. The
# standalone jar is the token CLI the test mints its tokens with.
ensure_jars() {
  local module jar stale=
  for module in gateway-service echo-service sse-service signaling-service standalone; do
    jar=$module/target/$module.jar
    [[ $module == standalone ]] && jar=standalone/target/switchboard.jar
    if [[ ! -f $jar ]] || [[ -n $(find pom.xml common/pom.xml common/src "$module/pom.xml" \
        "$module/src" -newer "$jar" -print -quit 2>/dev/null) ]]; then
      stale=1
    fi
  done
  if [[ -n $stale ]]; then
    log "building the service jars"
    mvn -B -q -Dstyle.color=never -DskipTests package \
      -pl gateway-service,echo-service,sse-service,signaling-service,standalone -am
  fi
}

# A token for check.mjs, signed with this run's AUTH_JWT_SECRET: `token` <arguments of the CLI>.
mint() {
  java -jar standalone/target/switchboard.jar token "$@"
}

# This run's secret and the tokens of its clients, for the topics and rooms the checks use
# (compose-*): one user for event streams and publishing, one for echo, one for signaling, so that
# no user comes near the deployment's limit of connections per user; one more for the partition's
# signaling peers, which fill a room to capacity; and one with the admin claim for the cluster view.
issue_tokens() {
  AUTH_JWT_SECRET=$(openssl rand -hex 32)
  export AUTH_JWT_SECRET
  local claims=(--ttl 7200 --subscribe 'compose-*' --publish 'compose-*' --rooms 'compose-*')
  SWITCHBOARD_TOKEN=$(mint --sub compose-sse "${claims[@]}")
  SWITCHBOARD_ECHO_TOKEN=$(mint --sub compose-echo "${claims[@]}")
  SWITCHBOARD_SIGNALING_TOKEN=$(mint --sub compose-signaling "${claims[@]}")
  SWITCHBOARD_PARTITION_TOKEN=$(mint --sub compose-partition "${claims[@]}")
  SWITCHBOARD_ADMIN_TOKEN=$(mint --sub compose-admin --ttl 7200 --admin)
  export SWITCHBOARD_TOKEN SWITCHBOARD_ECHO_TOKEN SWITCHBOARD_SIGNALING_TOKEN SWITCHBOARD_PARTITION_TOKEN \
    SWITCHBOARD_ADMIN_TOKEN
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

# One run of the test under one compose command, in a subshell of its own; its logs are in
# target/compose-test/<v1|v2>/.
finish_run() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $deployed ]]; then
    compose logs --no-color >"$run_dir/compose.log" 2>&1 || true
    if [[ $status -ne 0 ]]; then
      log "container logs: $run_dir/compose.log"
    fi
    if [[ ${COMPOSE_TEST_KEEP:-} == 1 && $last_run == 1 ]]; then
      log "leaving project $project running (COMPOSE_TEST_KEEP=1)"
    else
      log "${compose_cmd[*]} down"
      compose down --volumes --remove-orphans --timeout 10 >"$run_dir/down.log" 2>&1 \
        || { cat "$run_dir/down.log"; status=1; }
    fi
  fi
  exit "$status"
}

run_test() {
  local name
  read -r -a compose_cmd <<<"$1"
  name=$(label "$1")
  run_dir=$work/$name
  rm -rf "$run_dir"
  mkdir -p "$run_dir"
  trap finish_run EXIT
  trap 'exit 130' INT TERM

  export SWITCHBOARD_BIND=127.0.0.1
  SWITCHBOARD_PORT=$(free_port)
  export SWITCHBOARD_PORT
  export COMPOSE_PROFILES=monitoring PROMETHEUS_BIND=127.0.0.1
  PROMETHEUS_PORT=$(free_port)
  export PROMETHEUS_PORT
  issue_tokens

  log "== ${compose_cmd[*]} ($name): $("${compose_cmd[@]}" version 2>/dev/null | head -n1)"
  deployed=1
  compose down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1 || true
  log "${compose_cmd[*]} build"
  compose build >"$run_dir/build.log" 2>&1 || { tail -n 40 "$run_dir/build.log"; exit 1; }
  local scale_args=() s
  for s in $scale; do
    scale_args+=(--scale "$s")
  done
  # Everything at once, as the README starts it.
  log "${compose_cmd[*]} up -d ${scale_args[*]} (load balancer on 127.0.0.1:$SWITCHBOARD_PORT," \
    "Prometheus on 127.0.0.1:$PROMETHEUS_PORT)"
  compose up -d "${scale_args[@]}" >"$run_dir/up.log" 2>&1 || { cat "$run_dir/up.log"; exit 1; }

  # The partition adds about 1.5 minutes: once per invocation is enough.
  local partition=0
  [[ $last_run == 1 && ${COMPOSE_TEST_PARTITION:-1} != 0 ]] && partition=1
  node deploy/compose-test/check.mjs --base "http://127.0.0.1:$SWITCHBOARD_PORT" --project "$project" \
    --compose "${compose_cmd[*]}" --scale "$scale" --partition "$partition" \
    --prometheus "http://127.0.0.1:$PROMETHEUS_PORT"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $started_dockerd && ${COMPOSE_TEST_KEEP:-} != 1 ]]; then
    kill "$started_dockerd" 2>/dev/null && wait "$started_dockerd" 2>/dev/null || true
  fi
  local r
  for r in "${results[@]}"; do
    log "$r"
  done
  log "$([[ $status -eq 0 ]] && echo passed || echo FAILED) in $((SECONDS))s"
  exit "$status"
}
results=()
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_packages
ensure_daemon
if wants "docker compose"; then
  ensure_compose_v2
fi
log "base images"
deploy/images/build-base-images.sh
ensure_jars
ensure_client

failed=0
last_run=0
for i in "${!commands[@]}"; do
  [[ $i -eq $((${#commands[@]} - 1)) ]] && last_run=1
  started=$SECONDS
  set +e
  (set -e; run_test "${commands[$i]}")
  status=$?
  set -e
  results+=("${commands[$i]} ($(label "${commands[$i]}")): $([[ $status -eq 0 ]] && echo passed || echo "FAILED (exit $status)") in $((SECONDS - started))s")
  [[ $status -eq 0 ]] || failed=1
  [[ $status -ne 130 ]] || exit 130
done
exit "$failed"
