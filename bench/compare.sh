#!/usr/bin/env bash
# Runs every benchmark scenario against Switchboard (embedded and clustered) and the peers users
# would pick instead, alternating systems round by round on this machine, then writes a markdown
# table of absolute figures and ratios plus PNG charts.
#
#   bench/compare.sh                 full run (about 25 minutes)
#   QUICK=1 bench/compare.sh         smoke run (small N, short durations, one round; about 5 minutes)
#   SCENARIOS="auth" bench/compare.sh   one scenario (echo, sse-fanout, ws-fanout, ws-publish,
#                                       signaling-relay, connections, auth)
#
# Everything listens on 127.0.0.1 only, on free ports picked at start. Every server is started and
# stopped by this script. Results go to bench/results/<UTC timestamp>/ (RESULTS_DIR to change).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SB_HOME=${SB_HOME:-$ROOT}
# BASELINE_HOME: another checkout of Switchboard with its jars built (say, of an earlier commit).
# Its embedded and clustered systems then run too, round by round beside this build's, as
# switchboard-embedded-baseline and switchboard-clustered-baseline. PEERS=0 leaves out the Node
# peers and Redis, for a comparison of two Switchboard builds alone.
BASELINE_HOME=${BASELINE_HOME:-}
PEERS=${PEERS:-1}
# METRICS_OFF=1: one more embedded system, switchboard-embedded-metrics-off, with
# METRICS_ENABLED=false, runs beside switchboard-embedded in echo, sse-fanout and ws-fanout, round by round: what
# the metrics cost. With PEERS=0 it is those scenarios' baseline.
# TWIN=name TWIN_ENV="VAR=value ...": the same twin with other settings, as switchboard-embedded-name
# (TWIN=io_uring TWIN_ENV=VERTX_TRANSPORT=io_uring: what the io_uring transport changes).
METRICS_OFF=${METRICS_OFF:-0}
TWIN=${TWIN:-}
if [ -n "$TWIN" ]; then METRICS_OFF=1; else TWIN=metrics-off; fi
TWIN_ENV=${TWIN_ENV:-METRICS_ENABLED=false}

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  ROUNDS=${ROUNDS:-1}
  ECHO_CONNECTIONS=${ECHO_CONNECTIONS:-16}; ECHO_IN_FLIGHT=${ECHO_IN_FLIGHT:-"4 1"}
  ECHO_WARMUP=${ECHO_WARMUP:-2}; ECHO_SECONDS=${ECHO_SECONDS:-3}; ECHO_PREWARM=${ECHO_PREWARM:-3}
  SSE_SUBSCRIBERS=${SSE_SUBSCRIBERS:-500}; SSE_RATE=${SSE_RATE:-10}; SSE_WARMUP=${SSE_WARMUP:-2}; SSE_SECONDS=${SSE_SECONDS:-4}
  SIG_PAIRS=${SIG_PAIRS:-20}; SIG_RATE=${SIG_RATE:-200}; SIG_WARMUP=${SIG_WARMUP:-2}; SIG_SECONDS=${SIG_SECONDS:-3}
  CONN_WEBSOCKETS=${CONN_WEBSOCKETS:-2000}; CONN_STREAMS=${CONN_STREAMS:-1000}
  AUTH_CONNECTS=${AUTH_CONNECTS:-1000}; AUTH_ECHO_SECONDS=${AUTH_ECHO_SECONDS:-3}
  WS_SUBSCRIBERS=${WS_SUBSCRIBERS:-500}; WS_SECONDS=${WS_SECONDS:-4}
  PUB_RATE=${PUB_RATE:-200}; PUB_SECONDS=${PUB_SECONDS:-3}
else
  ROUNDS=${ROUNDS:-3}
  ECHO_CONNECTIONS=${ECHO_CONNECTIONS:-50}; ECHO_IN_FLIGHT=${ECHO_IN_FLIGHT:-"10 1"}
  ECHO_WARMUP=${ECHO_WARMUP:-5}; ECHO_SECONDS=${ECHO_SECONDS:-15}; ECHO_PREWARM=${ECHO_PREWARM:-15}
  SSE_SUBSCRIBERS=${SSE_SUBSCRIBERS:-"5000 10000"}; SSE_RATE=${SSE_RATE:-10}; SSE_WARMUP=${SSE_WARMUP:-5}; SSE_SECONDS=${SSE_SECONDS:-15}
  SIG_PAIRS=${SIG_PAIRS:-100}; SIG_RATE=${SIG_RATE:-1000}; SIG_WARMUP=${SIG_WARMUP:-3}; SIG_SECONDS=${SIG_SECONDS:-10}
  CONN_WEBSOCKETS=${CONN_WEBSOCKETS:-19000}; CONN_STREAMS=${CONN_STREAMS:-5000}
  AUTH_CONNECTS=${AUTH_CONNECTS:-5000}; AUTH_ECHO_SECONDS=${AUTH_ECHO_SECONDS:-10}
  WS_SUBSCRIBERS=${WS_SUBSCRIBERS:-"5000 10000"}; WS_SECONDS=${WS_SECONDS:-15}
  PUB_RATE=${PUB_RATE:-1000}; PUB_SECONDS=${PUB_SECONDS:-15}
fi
SCENARIOS=${SCENARIOS:-"echo sse-fanout ws-fanout ws-publish signaling-relay connections auth"}
AUTH_ROUNDS=${AUTH_ROUNDS:-$ROUNDS}
# Fewer rounds where one round takes long (10,000 streams to open per system and round).
ECHO_ROUNDS=${ECHO_ROUNDS:-$ROUNDS}
SSE_ROUNDS=${SSE_ROUNDS:-$(( ROUNDS > 2 ? 2 : ROUNDS ))}
SIG_ROUNDS=${SIG_ROUNDS:-$(( ROUNDS > 2 ? 2 : ROUNDS ))}
# ws-fanout: WebSocket subscribers of one topic at SSE_RATE events/s; ws-publish: publish-to-ack
# over /ws/topics at PUB_RATE publishes/s, spread over PUB_CONNECTIONS connections (each under the
# default WS_TOPICS_RATE_PER_SECOND of 100).
WS_ROUNDS=${WS_ROUNDS:-$SSE_ROUNDS}
PUB_ROUNDS=${PUB_ROUNDS:-$ROUNDS}
PUB_CONNECTIONS=${PUB_CONNECTIONS:-20}
# Switchboard's per-connection signaling rate limit (50/s by default) protects it from abusive
# browsers; the relay benchmark measures capacity, so it is raised for it. Socket.IO and PeerJS have
# no such limit.
SIGNALING_LIMITS=(SIGNALING_RATE_PER_SECOND=${SIGNALING_RATE_PER_SECOND:-100000} SIGNALING_RATE_BURST=${SIGNALING_RATE_BURST:-100000})
# JVM flags of the Switchboard processes under test. A fixed, pre-touched heap keeps RSS flat, so the
# RSS growth measured by the connections scenario is memory outside the heap.
# Gateways run the parallel collector: with thousands of long-lived connections, G1's concurrent
# refinement of the references written into them costs a third of a core at 100,000 SSE deliveries
# per second (see docs/operations.md).
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-"-Xms1g -Xmx1g -XX:+UseParallelGC -XX:+AlwaysPreTouch"}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseG1GC -XX:+AlwaysPreTouch"}
# The load tool gets a fixed heap with a large young generation, so that it does not collect during
# a measured window: the 10,000 streams it holds for sse-fanout are about 100 MB that each young
# collection would copy, stalling every stream's reading at once and counting as server latency.
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xms2g -Xmx2g -Xmn1g -XX:+UseParallelGC"}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${RESULTS_DIR:-$ROOT/bench/results/$STAMP}
mkdir -p "$OUT/json" "$OUT/logs"
DEADLINE=$(( $(date +%s) + ${MAX_MINUTES:-60} * 60 ))

log() { printf '%s compare: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  sleep 1
  for pid in "${PIDS[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Prerequisites: Java, Maven, Node, the npm peers, Debian's redis-server, the jars.
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
command -v java >/dev/null || apt_install openjdk-17-jdk-headless
command -v mvn >/dev/null || apt_install maven
command -v node >/dev/null || apt_install nodejs npm
command -v redis-server >/dev/null || apt_install redis-server
command -v python3 >/dev/null || apt_install python3

if [ ! -d bench/peers/node_modules ] || [ bench/peers/package-lock.json -nt bench/peers/node_modules ]; then
  log "installing the Node peers (npm ci)"
  (cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)
fi

JARS=(standalone/target/switchboard.jar gateway-service/target/gateway-service.jar
      echo-service/target/echo-service.jar sse-service/target/sse-service.jar
      signaling-service/target/signaling-service.jar bench/target/bench.jar)
needs_build() {
  for jar in "${JARS[@]}"; do
    [ -f "$jar" ] || return 0
    [ -z "$(find . -path ./bench/peers -prune -o \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ] || return 0
  done
  return 1
}
if [ "${SKIP_BUILD:-0}" != 1 ] && needs_build; then
  log "building the jars"
  mvn -B -q -DskipTests package -pl standalone,gateway-service,echo-service,sse-service,signaling-service,bench -am
fi

# ---------------------------------------------------------------------------------------------
# The measurements run in a network namespace of their own when the script runs as root: its
# loopback passes through no firewall rules, whatever the host has. Docker's rules, for one, put
# connection tracking on every loopback packet, about a sixth of the kernel's cost of a send.
# BENCH_NETNS=0 measures on the host's loopback instead.
if [ "${BENCH_NETNS:-1}" = 1 ] && [ -z "${IN_BENCH_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
  NETNS="switchboard-bench-$$"
  if ip netns add "$NETNS" 2>/dev/null && ip netns exec "$NETNS" ip link set lo up; then
    log "measuring in network namespace $NETNS"
    rc=0
    ip netns exec "$NETNS" env IN_BENCH_NETNS="$NETNS" SKIP_BUILD=1 RESULTS_DIR="$OUT" bash "$0" "$@" || rc=$?
    ip netns del "$NETNS" || true
    exit $rc
  fi
  ip netns del "$NETNS" 2>/dev/null || true
  log "no network namespace could be made; measuring on the host's loopback"
fi

# ---------------------------------------------------------------------------------------------
# Process helpers.
# A free port below the kernel's ephemeral range: a port from that range can be taken by one of
# the many outgoing connections a starting cluster makes before the server that was given it binds.
free_port() {
  python3 - <<'PY'
import random, socket
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(1000):
    port = random.randint(10000, max(10001, low - 1))
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
PY
}

# start NAME CMD... : runs CMD in the background with its output in logs/NAME.log; sets LAST_PID.
start() {
  local name=$1; shift
  "$@" >"$OUT/logs/$name.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}

stop() {
  for pid in "$@"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "$@"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

wait_http() { # URL [seconds]: until it answers 200
  local url=$1 limit=${2:-120}
  for _ in $(seq "$limit"); do
    curl -sf -m 2 -o /dev/null "$url" && return 0
    sleep 1
  done
  fail "$url did not become ready within $limit s"
}

wait_port() { # PORT [seconds]
  local port=$1 limit=${2:-60}
  for _ in $(seq $((limit * 5))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  fail "nothing listens on 127.0.0.1:$port after $limit s"
}

check_time() {
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "over the MAX_MINUTES budget; partial results are in $OUT"
}

bench() { # SCENARIO SYSTEM ROUND ARGS...
  local scenario=$1 system=$2 round=$3; shift 3
  check_time
  local file="$OUT/json/$scenario--${VARIANT_SLUG:-x}--$system--r$round.json"
  # A failed measurement is logged and the comparison goes on with the other systems.
  if ! java $BENCH_JAVA_OPTS "-Xlog:gc:file=$OUT/logs/bench-gc--$scenario--${VARIANT_SLUG:-x}--$system--r$round.log:time,uptime" \
      -jar bench/target/bench.jar "$scenario" --system "$system" --round "$round" \
      --out "$file" ${VARIANT:+--variant "$VARIANT"} "$@" 2>>"$OUT/logs/bench.log" | tee -a "$OUT/summaries.txt"; then
    log "$scenario against $system (round $round) failed; see $OUT/logs/bench.log"
    echo "$scenario $system round $round: FAILED" >>"$OUT/summaries.txt"
  fi
}

# ---------------------------------------------------------------------------------------------
# The systems under test. Every Switchboard JVM logs its garbage collections to
# logs/NAME-gc-HHMMSS.log (the time it started), so that a pause can be matched with a round.
gc_log() { echo "-Xlog:gc:file=$OUT/logs/$1-gc-$(date -u +%H%M%S).log:time,uptime"; }
# Settings of the embedded system beyond SIGNALING_LIMITS, for one scenario.
SB_EXTRA_ENV=()
# start_switchboard_embedded [HOME] [NAME]: the standalone jar of HOME (SB_HOME by default); sets
# SB_PORT and SB_PID, or SBB_PORT and SBB_PID for the baseline build.
start_switchboard_embedded() {
  local home=${1:-$SB_HOME} name=${2:-switchboard-embedded} port
  port=$(free_port)
  start "$name" env "${SIGNALING_LIMITS[@]}" "${SB_EXTRA_ENV[@]}" CLUSTER_NAME="bench-$name-$STAMP" CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=127.0.0.1 \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$port" LOG_LEVEL=WARN \
    java $GATEWAY_JAVA_OPTS "$(gc_log "$name")" -jar "$home/standalone/target/switchboard.jar"
  wait_http "http://127.0.0.1:$port/ready"
  log "$name on :$port (pid $LAST_PID)"
  case "$name" in
    switchboard-embedded) SB_PORT=$port; SB_PID=$LAST_PID ;;
    switchboard-embedded-$TWIN) SBM_PORT=$port; SBM_PID=$LAST_PID ;;
    *) SBB_PORT=$port; SBB_PID=$LAST_PID ;;
  esac
}

# The embedded system again with one gateway event loop per core instead of the default half: the
# SSE fan-out scenario shows what more loops buy when one event goes to many streams.
start_switchboard_embedded_all_loops() {
  SBL_PORT=$(free_port)
  start switchboard-embedded-all-loops env "${SIGNALING_LIMITS[@]}" GATEWAY_EVENT_LOOPS="$(nproc)" \
    CLUSTER_NAME="bench-embedded-loops-$STAMP" CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=127.0.0.1 \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$SBL_PORT" LOG_LEVEL=WARN \
    java $GATEWAY_JAVA_OPTS "$(gc_log switchboard-embedded-all-loops)" -jar "$SB_HOME/standalone/target/switchboard.jar"
  SBL_PID=$LAST_PID
  wait_http "http://127.0.0.1:$SBL_PORT/ready"
  log "Switchboard embedded with $(nproc) gateway event loops on :$SBL_PORT (pid $SBL_PID)"
}

# Two gateways and one echo, sse and signaling service, each its own JVM, clustered over loopback.
# start_switchboard_clustered [HOME] [NAME]: sets GW1_PORT, GW2_PORT and the PIDs, or the same
# names prefixed with B_ for the baseline build.
start_switchboard_clustered() {
  local home=${1:-$SB_HOME} name=${2:-switchboard-clustered} p=""
  [ "$name" = switchboard-clustered ] || p=B_
  local cluster="bench-$name-$STAMP" gw1 gw2
  local common=(CLUSTER_NAME="$cluster" CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=127.0.0.1 LOG_LEVEL=WARN "${SIGNALING_LIMITS[@]}")
  gw1=$(free_port); gw2=$(free_port)
  start "${p}echo-service" env "${common[@]}" java $SERVICE_JAVA_OPTS "$(gc_log "${p}echo-service")" -jar "$home/echo-service/target/echo-service.jar"
  printf -v "${p}ECHO_PID" %s "$LAST_PID"
  start "${p}sse-service" env "${common[@]}" java $SERVICE_JAVA_OPTS "$(gc_log "${p}sse-service")" -jar "$home/sse-service/target/sse-service.jar"
  printf -v "${p}SSE_PID" %s "$LAST_PID"
  start "${p}signaling-service" env "${common[@]}" java $SERVICE_JAVA_OPTS "$(gc_log "${p}signaling-service")" -jar "$home/signaling-service/target/signaling-service.jar"
  printf -v "${p}SIG_PID" %s "$LAST_PID"
  start "${p}gateway-1" env "${common[@]}" HTTP_HOST=127.0.0.1 HTTP_PORT="$gw1" \
    java $GATEWAY_JAVA_OPTS "$(gc_log "${p}gateway-1")" -jar "$home/gateway-service/target/gateway-service.jar"
  printf -v "${p}GW1_PID" %s "$LAST_PID"
  start "${p}gateway-2" env "${common[@]}" HTTP_HOST=127.0.0.1 HTTP_PORT="$gw2" \
    java $GATEWAY_JAVA_OPTS "$(gc_log "${p}gateway-2")" -jar "$home/gateway-service/target/gateway-service.jar"
  printf -v "${p}GW2_PID" %s "$LAST_PID"
  printf -v "${p}GW1_PORT" %s "$gw1"; printf -v "${p}GW2_PORT" %s "$gw2"
  wait_http "http://127.0.0.1:$gw1/ready" 180
  wait_http "http://127.0.0.1:$gw2/ready" 180
  log "$name: gateways :$gw1 and :$gw2"
}
stop_switchboard_clustered() {
  stop "$GW1_PID" "$GW2_PID" "$ECHO_PID" "$SSE_PID" "$SIG_PID"
  if [ -n "$BASELINE_HOME" ]; then stop "$B_GW1_PID" "$B_GW2_PID" "$B_ECHO_PID" "$B_SSE_PID" "$B_SIG_PID"; fi
}
# Every process of a cluster, for CPU accounting.
clustered_pids() { echo "$GW1_PID,$GW2_PID,$ECHO_PID,$SSE_PID,$SIG_PID"; }
baseline_clustered_pids() { echo "$B_GW1_PID,$B_GW2_PID,$B_ECHO_PID,$B_SSE_PID,$B_SIG_PID"; }

start_node_peer() { # NAME SCRIPT [ENV...]: sets PEER_PORT and PEER_PID
  local name=$1 script=$2; shift 2
  PEER_PORT=$(free_port)
  start "$name" env PORT="$PEER_PORT" "$@" node "bench/peers/$script"
  PEER_PID=$LAST_PID
  wait_port "$PEER_PORT"
}

# ---------------------------------------------------------------------------------------------
{
  echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uptime before: $(uptime)"
  echo "cores: $(nproc)"
  if [ -n "${IN_BENCH_NETNS:-}" ]; then
    echo "network: the loopback of network namespace $IN_BENCH_NETNS, without firewall rules"
  else
    echo "network: the host's loopback"
  fi
  echo "memory: $(free -h | awk '/Mem:/ {print $2}')"
  echo "open files hard limit (ulimit -Hn): $(ulimit -Hn)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "node: $(node --version)"
  echo "redis-server: $(redis-server --version | awk '{print $3}')"
  echo "gateway JVM flags: $GATEWAY_JAVA_OPTS"
  echo "service JVM flags: $SERVICE_JAVA_OPTS"
  echo "Switchboard settings: ${SIGNALING_LIMITS[*]}, everything else default"
  echo "settings: QUICK=$QUICK ROUNDS echo/sse/signaling=$ECHO_ROUNDS/$SSE_ROUNDS/$SIG_ROUNDS ECHO=${ECHO_CONNECTIONS}x${ECHO_IN_FLIGHT} ${ECHO_SECONDS}s" \
    "SSE=${SSE_SUBSCRIBERS}@${SSE_RATE}/s ${SSE_SECONDS}s SIGNALING=${SIG_PAIRS} pairs, paced ${SIG_RATE}/s" \
    "CONNECTIONS=${CONN_WEBSOCKETS} ws + ${CONN_STREAMS} sse" \
    "AUTH=${AUTH_CONNECTS} connects, echo ${AUTH_ECHO_SECONDS}s, $AUTH_ROUNDS rounds" \
    "WS-FANOUT=${WS_SUBSCRIBERS}@${SSE_RATE}/s ${WS_SECONDS}s, $WS_ROUNDS rounds" \
    "WS-PUBLISH=${PUB_RATE}/s over ${PUB_CONNECTIONS} connections ${PUB_SECONDS}s, $PUB_ROUNDS rounds"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

has() { [[ " $SCENARIOS " == *" $1 "* ]]; }
metrics_off() { [ "$METRICS_OFF" = 1 ]; }
# embedded_pair ROUND: switchboard-embedded, and with METRICS_OFF=1 its metrics-off twin, in the
# order of that round: the twin goes first in even rounds.
embedded_pair() {
  if ! metrics_off; then echo switchboard-embedded
  elif [ $(($1 % 2)) = 0 ]; then echo switchboard-embedded-$TWIN switchboard-embedded
  else echo switchboard-embedded switchboard-embedded-$TWIN; fi
}

# One embedded instance and one cluster serve every scenario but connections and auth.
serves() { has echo || has sse-fanout || has ws-fanout || has ws-publish || has signaling-relay; }
if serves; then
  start_switchboard_embedded
  start_switchboard_clustered
  if [ -n "$BASELINE_HOME" ]; then
    start_switchboard_embedded "$BASELINE_HOME" switchboard-embedded-baseline
    start_switchboard_clustered "$BASELINE_HOME" switchboard-clustered-baseline
  fi
  if metrics_off; then
    read -r -a SB_EXTRA_ENV <<<"$TWIN_ENV"
    start_switchboard_embedded "$SB_HOME" switchboard-embedded-$TWIN
    SB_EXTRA_ENV=()
  fi
fi

peers() { [ "$PEERS" = 1 ]; }
baseline() { [ -n "$BASELINE_HOME" ]; }

if has echo; then
  log "scenario echo"
  WARM_URLS=("ws://127.0.0.1:$SB_PORT/ws/echo" "ws://127.0.0.1:$GW1_PORT/ws/echo")
  if metrics_off; then WARM_URLS+=("ws://127.0.0.1:$SBM_PORT/ws/echo"); fi
  if peers; then
    start_node_peer node-ws ws-echo.js; WS_PORT=$PEER_PORT; WS_PID=$PEER_PID
    WARM_URLS+=("ws://127.0.0.1:$WS_PORT/")
  fi
  if baseline; then WARM_URLS+=("ws://127.0.0.1:$SBB_PORT/ws/echo" "ws://127.0.0.1:$B_GW1_PORT/ws/echo"); fi
  # Every server gets one unrecorded run first, so that the rounds measure compiled code (the JVMs'
  # JIT, and V8's) rather than a process that has just started.
  log "warming the echo servers up (${ECHO_PREWARM}s each, not recorded)"
  for url in "${WARM_URLS[@]}"; do
    java $BENCH_JAVA_OPTS -jar bench/target/bench.jar echo --url "$url" --connections "$ECHO_CONNECTIONS" \
      --in-flight "${ECHO_IN_FLIGHT%% *}" --warmup 1 --duration "$ECHO_PREWARM" --out "$OUT/logs/prewarm.json" \
      >>"$OUT/logs/prewarm.txt" 2>>"$OUT/logs/bench.log" || log "warm-up against $url failed"
  done
  # ECHO_IN_FLIGHT may list several depths ("10 1"): each is its own table; 1 is strict ping-pong.
  for in_flight in $ECHO_IN_FLIGHT; do
    VARIANT="$in_flight in flight"; VARIANT_SLUG="k$in_flight"
    ECHO_ARGS=(--connections "$ECHO_CONNECTIONS" --in-flight "$in_flight" --warmup "$ECHO_WARMUP" --duration "$ECHO_SECONDS")
    for round in $(seq "$ECHO_ROUNDS"); do
      # The metrics-off pair swaps places every other round, so that neither always runs first.
      for system in $(embedded_pair "$round"); do
        case $system in
          switchboard-embedded) bench echo switchboard-embedded "$round" --url "ws://127.0.0.1:$SB_PORT/ws/echo" "${ECHO_ARGS[@]}" --server-pids "$SB_PID" ;;
          *) bench echo switchboard-embedded-$TWIN "$round" --url "ws://127.0.0.1:$SBM_PORT/ws/echo" "${ECHO_ARGS[@]}" --server-pids "$SBM_PID" ;;
        esac
      done
      if baseline; then
        bench echo switchboard-embedded-baseline "$round" --url "ws://127.0.0.1:$SBB_PORT/ws/echo" "${ECHO_ARGS[@]}" --server-pids "$SBB_PID"
      fi
      bench echo switchboard-clustered "$round" --url "ws://127.0.0.1:$GW1_PORT/ws/echo" "${ECHO_ARGS[@]}" --server-pids "$(clustered_pids)"
      if baseline; then
        bench echo switchboard-clustered-baseline "$round" --url "ws://127.0.0.1:$B_GW1_PORT/ws/echo" "${ECHO_ARGS[@]}" --server-pids "$(baseline_clustered_pids)"
      fi
      if peers; then
        bench echo node-ws "$round" --url "ws://127.0.0.1:$WS_PORT/" "${ECHO_ARGS[@]}" --server-pids "$WS_PID"
      fi
    done
  done
  unset VARIANT VARIANT_SLUG
  if peers; then stop "$WS_PID"; fi
fi

if has sse-fanout; then
  log "scenario sse-fanout"
  if peers; then
    start_node_peer express-sse express-sse.js; EX_PORT=$PEER_PORT; EX_PID=$PEER_PID
    start_switchboard_embedded_all_loops
  fi
  # SSE_SUBSCRIBERS may list several sizes ("2000 10000"): each is its own table.
  for subscribers in $SSE_SUBSCRIBERS; do
    VARIANT="$subscribers subscribers"; VARIANT_SLUG="n$subscribers"
    SSE_ARGS=(--subscribers "$subscribers" --rate "$SSE_RATE" --warmup "$SSE_WARMUP" --duration "$SSE_SECONDS" --drain 15)
    for round in $(seq "$SSE_ROUNDS"); do
      topic="bench-$round-$RANDOM"
      for system in $(embedded_pair "$round"); do
        case $system in
          switchboard-embedded) bench sse-fanout switchboard-embedded "$round" "${SSE_ARGS[@]}" --server-pids "$SB_PID" \
            --subscribe-url "http://127.0.0.1:$SB_PORT/sse/$topic" --publish-url "http://127.0.0.1:$SB_PORT/api/topics/$topic/events" ;;
          *) bench sse-fanout switchboard-embedded-$TWIN "$round" "${SSE_ARGS[@]}" --server-pids "$SBM_PID" \
            --subscribe-url "http://127.0.0.1:$SBM_PORT/sse/$topic" --publish-url "http://127.0.0.1:$SBM_PORT/api/topics/$topic/events" ;;
        esac
      done
      if baseline; then
        bench sse-fanout switchboard-embedded-baseline "$round" "${SSE_ARGS[@]}" --server-pids "$SBB_PID" \
          --subscribe-url "http://127.0.0.1:$SBB_PORT/sse/$topic" --publish-url "http://127.0.0.1:$SBB_PORT/api/topics/$topic/events"
      fi
      # Subscribers on gateway 1, events published through gateway 2: every event crosses the cluster.
      bench sse-fanout switchboard-clustered "$round" "${SSE_ARGS[@]}" --server-pids "$(clustered_pids)" \
        --subscribe-url "http://127.0.0.1:$GW1_PORT/sse/$topic" --publish-url "http://127.0.0.1:$GW2_PORT/api/topics/$topic/events"
      if baseline; then
        bench sse-fanout switchboard-clustered-baseline "$round" "${SSE_ARGS[@]}" --server-pids "$(baseline_clustered_pids)" \
          --subscribe-url "http://127.0.0.1:$B_GW1_PORT/sse/$topic" --publish-url "http://127.0.0.1:$B_GW2_PORT/api/topics/$topic/events"
      fi
      if peers; then
        bench sse-fanout express-sse "$round" "${SSE_ARGS[@]}" --server-pids "$EX_PID" \
          --subscribe-url "http://127.0.0.1:$EX_PORT/events" --publish-url "http://127.0.0.1:$EX_PORT/events"
        bench sse-fanout "switchboard-embedded-$(nproc)-loops" "$round" "${SSE_ARGS[@]}" --server-pids "$SBL_PID" \
          --subscribe-url "http://127.0.0.1:$SBL_PORT/sse/$topic" --publish-url "http://127.0.0.1:$SBL_PORT/api/topics/$topic/events"
      fi
    done
  done
  unset VARIANT VARIANT_SLUG
  if peers; then stop "$EX_PID" "$SBL_PID"; fi
fi

if has ws-fanout; then
  log "scenario ws-fanout"
  if peers; then
    start_node_peer socketio-fanout socketio-fanout.js; SF_PORT=$PEER_PORT; SF_PID=$PEER_PID
  fi
  # Every system gets one unrecorded run first, as in echo, so that the rounds measure compiled code.
  log "warming the WebSocket fan-out up (${ECHO_PREWARM}s each, not recorded)"
  WARM=("switchboard ws://127.0.0.1:$SB_PORT/ws/topics http://127.0.0.1:$SB_PORT/api/topics/warm/events"
        "switchboard ws://127.0.0.1:$GW1_PORT/ws/topics http://127.0.0.1:$GW2_PORT/api/topics/warm/events")
  if metrics_off; then WARM+=("switchboard ws://127.0.0.1:$SBM_PORT/ws/topics http://127.0.0.1:$SBM_PORT/api/topics/warm/events"); fi
  if peers; then
    WARM+=("socketio ws://127.0.0.1:$SF_PORT/socket.io/?EIO=4&transport=websocket http://127.0.0.1:$SF_PORT/events?room=warm")
  fi
  for entry in "${WARM[@]}"; do
    read -r protocol sub pub <<<"$entry"
    java $BENCH_JAVA_OPTS -jar bench/target/bench.jar ws-fanout --protocol "$protocol" --topic warm \
      --subscribe-url "$sub" --publish-url "$pub" --subscribers 1000 --rate "$SSE_RATE" --warmup 1 \
      --duration "$ECHO_PREWARM" --out "$OUT/logs/prewarm.json" >>"$OUT/logs/prewarm.txt" 2>>"$OUT/logs/bench.log" \
      || log "warm-up against $sub failed"
  done
  for subscribers in $WS_SUBSCRIBERS; do
    VARIANT="$subscribers subscribers"; VARIANT_SLUG="n$subscribers"
    WS_ARGS=(--subscribers "$subscribers" --rate "$SSE_RATE" --warmup "$SSE_WARMUP" --duration "$WS_SECONDS" --drain 15)
    for round in $(seq "$WS_ROUNDS"); do
      topic="bench-ws-$round-$RANDOM"
      for system in $(embedded_pair "$round"); do
        case $system in
          switchboard-embedded) bench ws-fanout switchboard-embedded "$round" "${WS_ARGS[@]}" --server-pids "$SB_PID" --protocol switchboard \
            --topic "$topic" --subscribe-url "ws://127.0.0.1:$SB_PORT/ws/topics" --publish-url "http://127.0.0.1:$SB_PORT/api/topics/$topic/events" ;;
          *) bench ws-fanout switchboard-embedded-$TWIN "$round" "${WS_ARGS[@]}" --server-pids "$SBM_PID" --protocol switchboard \
            --topic "$topic" --subscribe-url "ws://127.0.0.1:$SBM_PORT/ws/topics" --publish-url "http://127.0.0.1:$SBM_PORT/api/topics/$topic/events" ;;
        esac
      done
      if baseline; then
        bench ws-fanout switchboard-embedded-baseline "$round" "${WS_ARGS[@]}" --server-pids "$SBB_PID" --protocol switchboard \
          --topic "$topic" --subscribe-url "ws://127.0.0.1:$SBB_PORT/ws/topics" --publish-url "http://127.0.0.1:$SBB_PORT/api/topics/$topic/events"
      fi
      # Subscribers on gateway 1, events published through gateway 2: every event crosses the cluster.
      bench ws-fanout switchboard-clustered "$round" "${WS_ARGS[@]}" --server-pids "$(clustered_pids)" --protocol switchboard \
        --topic "$topic" --subscribe-url "ws://127.0.0.1:$GW1_PORT/ws/topics" --publish-url "http://127.0.0.1:$GW2_PORT/api/topics/$topic/events"
      if peers; then
        bench ws-fanout socketio-broadcast "$round" "${WS_ARGS[@]}" --server-pids "$SF_PID" --protocol socketio \
          --topic "$topic" --subscribe-url "ws://127.0.0.1:$SF_PORT/socket.io/?EIO=4&transport=websocket" \
          --publish-url "http://127.0.0.1:$SF_PORT/events?room=$topic"
      fi
    done
  done
  unset VARIANT VARIANT_SLUG
  if peers; then stop "$SF_PID"; fi
fi

if has ws-publish; then
  log "scenario ws-publish"
  # One unrecorded run per system first, as in echo and ws-fanout: the first round otherwise measures
  # the publish path while the JIT is still compiling it (a p99 two to four times the later rounds').
  log "warming the publish path up (${ECHO_PREWARM}s each, not recorded)"
  WARM=("ws://127.0.0.1:$GW1_PORT/ws/topics" "ws://127.0.0.1:$SB_PORT/ws/topics")
  if baseline; then WARM+=("ws://127.0.0.1:$B_GW1_PORT/ws/topics"); fi
  for url in "${WARM[@]}"; do
    java $BENCH_JAVA_OPTS -jar bench/target/bench.jar ws-publish --url "$url" --topic "warm-publish-$RANDOM" \
      --connections "$PUB_CONNECTIONS" --rate "$PUB_RATE" --warmup 1 --duration "$ECHO_PREWARM" \
      --out "$OUT/logs/prewarm.json" >>"$OUT/logs/prewarm.txt" 2>>"$OUT/logs/bench.log" || log "warm-up of $url failed"
  done
  PUB_ARGS=(--connections "$PUB_CONNECTIONS" --rate "$PUB_RATE" --warmup "${PUB_WARMUP:-10}" --duration "$PUB_SECONDS")
  VARIANT="$PUB_RATE publishes/s"; VARIANT_SLUG="r$PUB_RATE"
  for round in $(seq "$PUB_ROUNDS"); do
    topic="bench-publish-$round-$RANDOM"
    # Publishes through gateway 1 are stored by sse-service, another process: each crosses the cluster.
    bench ws-publish switchboard-clustered "$round" "${PUB_ARGS[@]}" --server-pids "$(clustered_pids)" \
      --url "ws://127.0.0.1:$GW1_PORT/ws/topics" --topic "$topic"
    if baseline; then
      bench ws-publish switchboard-clustered-baseline "$round" "${PUB_ARGS[@]}" --server-pids "$(baseline_clustered_pids)" \
        --url "ws://127.0.0.1:$B_GW1_PORT/ws/topics" --topic "$topic"
    fi
    bench ws-publish switchboard-embedded "$round" "${PUB_ARGS[@]}" --server-pids "$SB_PID" \
      --url "ws://127.0.0.1:$SB_PORT/ws/topics" --topic "$topic"
  done
  unset VARIANT VARIANT_SLUG
fi

if has signaling-relay; then
  log "scenario signaling-relay"
  SIO="socket.io/?EIO=4&transport=websocket"
  if peers; then
    REDIS_PORT=$(free_port)
    start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no
    REDIS_PID=$LAST_PID
    wait_port "$REDIS_PORT"
    start_node_peer socketio-1 socketio-signaling.js REDIS_URL="redis://127.0.0.1:$REDIS_PORT"; SIO1_PORT=$PEER_PORT; SIO1_PID=$PEER_PID
    start_node_peer socketio-2 socketio-signaling.js REDIS_URL="redis://127.0.0.1:$REDIS_PORT"; SIO2_PORT=$PEER_PORT; SIO2_PID=$PEER_PID
    start_node_peer peerjs peerjs-server.js; PJ_PORT=$PEER_PORT; PJ_PID=$PEER_PID
  fi
  for variant in max "${SIG_RATE}/s"; do
    if [ "$variant" = max ]; then RATE=(); VARIANT="as fast as possible"; VARIANT_SLUG=max; else RATE=(--rate "$SIG_RATE"); VARIANT="paced at $variant"; VARIANT_SLUG=paced; fi
    SIG_ARGS=(--pairs "$SIG_PAIRS" --warmup "$SIG_WARMUP" --duration "$SIG_SECONDS" "${RATE[@]}")
    for round in $(seq "$SIG_ROUNDS"); do
      bench signaling-relay switchboard-2-gateways "$round" --protocol switchboard "${SIG_ARGS[@]}" --server-pids "$(clustered_pids)" \
        --url-a "ws://127.0.0.1:$GW1_PORT/ws/signaling" --url-b "ws://127.0.0.1:$GW2_PORT/ws/signaling"
      if baseline; then
        bench signaling-relay switchboard-2-gateways-baseline "$round" --protocol switchboard "${SIG_ARGS[@]}" --server-pids "$(baseline_clustered_pids)" \
          --url-a "ws://127.0.0.1:$B_GW1_PORT/ws/signaling" --url-b "ws://127.0.0.1:$B_GW2_PORT/ws/signaling"
      fi
      if peers; then
        bench signaling-relay socketio-redis "$round" --protocol socketio "${SIG_ARGS[@]}" --server-pids "$SIO1_PID,$SIO2_PID,$REDIS_PID" \
          --url-a "ws://127.0.0.1:$SIO1_PORT/$SIO" --url-b "ws://127.0.0.1:$SIO2_PORT/$SIO"
      fi
      bench signaling-relay switchboard-embedded "$round" --protocol switchboard "${SIG_ARGS[@]}" --server-pids "$SB_PID" \
        --url-a "ws://127.0.0.1:$SB_PORT/ws/signaling" --url-b "ws://127.0.0.1:$SB_PORT/ws/signaling"
      if baseline; then
        bench signaling-relay switchboard-embedded-baseline "$round" --protocol switchboard "${SIG_ARGS[@]}" --server-pids "$SBB_PID" \
          --url-a "ws://127.0.0.1:$SBB_PORT/ws/signaling" --url-b "ws://127.0.0.1:$SBB_PORT/ws/signaling"
      fi
      if peers; then
        bench signaling-relay peerjs "$round" --protocol peerjs "${SIG_ARGS[@]}" --server-pids "$PJ_PID" \
          --url-a "ws://127.0.0.1:$PJ_PORT/peerjs?key=peerjs"
      fi
    done
  done
  unset VARIANT VARIANT_SLUG
  if peers; then stop "$SIO1_PID" "$SIO2_PID" "$PJ_PID" "$REDIS_PID"; fi
fi

if serves; then
  stop "$SB_PID"; stop_switchboard_clustered
  if baseline; then stop "$SBB_PID"; fi
fi

if has connections; then
  log "scenario connections"
  # A fresh gateway per measurement, so that its baseline memory is its idle memory. The gateway
  # total, LIMIT_CONNECTIONS, is raised from its default (the open-file limit less a tenth) to just
  # under the open-file limit: the scenario measures how close to it one gateway can go.
  SB_EXTRA_ENV=(LIMIT_CONNECTIONS="${CONN_LIMIT:-$(( $(ulimit -Hn) - 100 ))}")
  start_switchboard_embedded
  bench connections switchboard-embedded-websockets 1 --gateway-pid "$SB_PID" --websockets "$CONN_WEBSOCKETS" --streams 0 \
    --ws-url "ws://127.0.0.1:$SB_PORT/ws/echo" --sse-url "http://127.0.0.1:$SB_PORT/sse/idle"
  stop "$SB_PID"
  start_switchboard_embedded
  bench connections switchboard-embedded-sse-streams 1 --gateway-pid "$SB_PID" --websockets 0 --streams "$CONN_STREAMS" \
    --ws-url "ws://127.0.0.1:$SB_PORT/ws/echo" --sse-url "http://127.0.0.1:$SB_PORT/sse/idle"
  stop "$SB_PID"
  SB_EXTRA_ENV=()
  start_node_peer node-ws ws-echo.js
  bench connections node-ws-websockets 1 --gateway-pid "$PEER_PID" --websockets "$CONN_WEBSOCKETS" --streams 0 \
    --ws-url "ws://127.0.0.1:$PEER_PORT/"
  stop "$PEER_PID"
fi

if has auth; then
  log "scenario auth"
  # The same embedded system in open mode and in jwt mode (HS256), side by side: WebSocket connects
  # per second, and echo throughput once connected. switchboard-jwt has the per-address and per-user
  # connection limits off, so that it measures the token check alone; switchboard-jwt-user-count has
  # a per-user limit too high to refuse anyone, so that every connect is also counted in the cluster,
  # as with jwt mode's defaults.
  AUTH_SECRET="bench-secret-$STAMP-$RANDOM-0123456789abcdef"
  AUTH_TOKEN=$(AUTH_JWT_SECRET="$AUTH_SECRET" java -jar "$SB_HOME/standalone/target/switchboard.jar" token --sub bench --ttl 86400)
  start_auth_system() { # NAME ENV...: sets AUTH_PORT and AUTH_PID
    local name=$1; shift
    AUTH_PORT=$(free_port)
    start "$name" env "$@" CLUSTER_NAME="bench-$name-$STAMP" CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=127.0.0.1 \
      HTTP_HOST=127.0.0.1 HTTP_PORT="$AUTH_PORT" LOG_LEVEL=WARN \
      java $GATEWAY_JAVA_OPTS "$(gc_log "$name")" -jar "$SB_HOME/standalone/target/switchboard.jar"
    AUTH_PID=$LAST_PID
    wait_http "http://127.0.0.1:$AUTH_PORT/ready"
    log "$name on :$AUTH_PORT (pid $AUTH_PID)"
  }
  JWT_ENV=(AUTH_MODE=jwt AUTH_JWT_SECRET="$AUTH_SECRET")
  start_auth_system switchboard-open AUTH_MODE=open; OPEN_PORT=$AUTH_PORT; OPEN_PID=$AUTH_PID
  start_auth_system switchboard-jwt "${JWT_ENV[@]}" LIMIT_CONNECTIONS_PER_IP=0 LIMIT_CONNECTIONS_PER_USER=0
  JWT_PORT=$AUTH_PORT; JWT_PID=$AUTH_PID
  start_auth_system switchboard-jwt-user-count "${JWT_ENV[@]}" LIMIT_CONNECTIONS_PER_IP=0 LIMIT_CONNECTIONS_PER_USER=100000000
  JWTU_PORT=$AUTH_PORT; JWTU_PID=$AUTH_PID
  # name, port, pid and the query that carries the token
  AUTH_SYSTEMS=("switchboard-open $OPEN_PORT $OPEN_PID" "switchboard-jwt $JWT_PORT $JWT_PID ?token=$AUTH_TOKEN"
                "switchboard-jwt-user-count $JWTU_PORT $JWTU_PID ?token=$AUTH_TOKEN")
  for url in "ws://127.0.0.1:$OPEN_PORT/ws/echo" "ws://127.0.0.1:$JWT_PORT/ws/echo?token=$AUTH_TOKEN" \
      "ws://127.0.0.1:$JWTU_PORT/ws/echo?token=$AUTH_TOKEN"; do
    java $BENCH_JAVA_OPTS -jar bench/target/bench.jar echo --url "$url" --connections "$ECHO_CONNECTIONS" \
      --in-flight 10 --warmup 1 --duration "$ECHO_PREWARM" --out "$OUT/logs/prewarm.json" \
      >>"$OUT/logs/prewarm.txt" 2>>"$OUT/logs/bench.log" || log "warm-up of $url failed"
  done
  for round in $(seq "$AUTH_ROUNDS"); do
    for entry in "${AUTH_SYSTEMS[@]}"; do
      read -r name port pid query <<<"$entry"
      VARIANT="WebSocket connects, jwt against open"; VARIANT_SLUG=auth-connects
      bench connections "$name" "$round" --gateway-pid "$pid" --websockets "$AUTH_CONNECTS" --streams 0 \
        --hold 1 --ws-url "ws://127.0.0.1:$port/ws/echo$query"
      VARIANT="jwt against open, 10 in flight"; VARIANT_SLUG=auth-echo
      bench echo "$name" "$round" --url "ws://127.0.0.1:$port/ws/echo$query" --connections "$ECHO_CONNECTIONS" \
        --in-flight 10 --warmup "$ECHO_WARMUP" --duration "$AUTH_ECHO_SECONDS" --server-pids "$pid"
    done
  done
  unset VARIANT VARIANT_SLUG
  stop "$OPEN_PID" "$JWT_PID" "$JWTU_PID"
fi

echo "uptime after: $(uptime)" >>"$OUT/machine.txt"
echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$OUT/machine.txt"
if metrics_off && ! peers; then
  BASELINES="echo=switchboard-embedded-$TWIN,sse-fanout=switchboard-embedded-$TWIN,ws-fanout=switchboard-embedded-$TWIN,ws-publish=switchboard-embedded,signaling-relay=switchboard-embedded"
elif peers; then
  BASELINES="echo=node-ws|switchboard-open,sse-fanout=express-sse,ws-fanout=socketio-broadcast,ws-publish=switchboard-embedded,signaling-relay=socketio-redis"
else
  BASELINES="echo=switchboard-embedded-baseline|switchboard-open,sse-fanout=switchboard-embedded-baseline,ws-fanout=switchboard-embedded-baseline,ws-publish=switchboard-clustered-baseline,signaling-relay=switchboard-embedded-baseline"
fi
java -jar bench/target/bench.jar report --results "$OUT/json" --out "$OUT" --baselines "$BASELINES" >&2
log "done: $OUT/results.md"
