#!/usr/bin/env bash
# Start the Elasticsearch 8 test server (see README.md) in the background and wait until the
# cluster is yellow or green.
#
#   test/servers/elasticsearch/start.sh [port]      port defaults to $ELASTICSEARCH_PORT or 9200
#
# Exit codes: 0 running (started now or already), 1 failed, 3 not available here
# (no Java 17+ or no Maven) -- callers treat 3 as "skip the Elasticsearch suites".
# Env: JAVA_HOME (else java on PATH), ELASTICSEARCH_JAVA_OPTS (heap etc.),
#      ELASTICSEARCH_START_TIMEOUT (seconds to wait for a yellow cluster, default 180).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-${ELASTICSEARCH_PORT:-9200}}"
HOST=127.0.0.1
MAIN=looma.testservers.ElasticsearchTestServer
PID_FILE="$DIR/elasticsearch-$PORT.pid"
LOG_FILE="$DIR/elasticsearch-$PORT.log"
BUILD_LOG="$DIR/build.log"
STAMP="$DIR/target/.built"
LAUNCHER="$DIR/target/looma-es-launcher.jar"
TIMEOUT="${ELASTICSEARCH_START_TIMEOUT:-180}"
ES_VERSION="$(sed -n 's:.*<es.version>\(.*\)</es.version>.*:\1:p' "$DIR/pom.xml")"
ES_HOME="$DIR/target/elasticsearch-$ES_VERSION"
WORK="$DIR/target/run-$PORT"          # data/ (wiped at start), logs/, tmp/
ES_LOG="$WORK/logs/looma-test-$PORT.log"

skip() { echo "elasticsearch: skipped — $*"; exit 3; }
fail() { echo "elasticsearch: $*" >&2; exit 1; }

[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || fail "bad port '$PORT'"
[[ -n "$ES_VERSION" ]] || fail "cannot read <es.version> from $DIR/pom.xml"

# --- what this machine has ----------------------------------------------------------------
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(command -v java || true)"
fi
[[ -n "$JAVA" ]] || skip "no Java found (set JAVA_HOME or put java 17+ on PATH)"
JAVA_VERSION_LINE="$("$JAVA" -version 2>&1 | head -n 1 || true)"
JAVA_MAJOR="$(sed -nE 's/.*version "([0-9]+).*/\1/p' <<<"$JAVA_VERSION_LINE")"
[[ -n "$JAVA_MAJOR" ]] || skip "cannot run $JAVA ($JAVA_VERSION_LINE)"
(( JAVA_MAJOR >= 17 )) || skip "Java $JAVA_MAJOR at $JAVA; Elasticsearch $ES_VERSION needs Java 17+"
command -v mvn >/dev/null 2>&1 || skip "no Maven (mvn) on PATH"

# Heap for small test indices (fits beside Neo4j and the test workers on 2 cores / 24 GiB).
# The rest are the flags Elasticsearch's own launcher passes that matter embedded: Netty
# without Unsafe, log4j without lookups or its own shutdown hook, the entitlement bridge that
# the server module links against, and the distribution's lib/ as the module path.
JAVA_OPTS=(${ELASTICSEARCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:MaxDirectMemorySize=256m}
  -XX:+UseG1GC
  -XX:+ExitOnOutOfMemoryError
  -Xss1m
  -Djava.awt.headless=true
  -Dfile.encoding=UTF-8
  -Djna.nosys=true
  -XX:-OmitStackTraceInFastThrow
  -Dio.netty.noUnsafe=true
  -Dio.netty.noKeySetOptimization=true
  -Dio.netty.recycler.maxCapacityPerThread=0
  -Dlog4j.shutdownHookEnabled=false
  -Dlog4j2.disable.jmx=true
  -Dlog4j2.formatMsgNoLookups=true
  "-Des.path.home=$ES_HOME"
  -Des.distribution.type=zip
  "-Dlooma.es.work=$WORK"
  "-Djava.io.tmpdir=$WORK/tmp"
  "--patch-module=java.base=$ES_HOME/lib/entitlement-bridge/elasticsearch-entitlement-bridge-$ES_VERSION.jar"
  --add-exports=java.base/org.elasticsearch.entitlement.bridge=org.elasticsearch.entitlement,java.logging,java.net.http,java.naming,jdk.net,jdk.zipfs,jdk.management.agent
  "--module-path=$ES_HOME/lib"
  --add-modules=jdk.net
  --add-modules=ALL-MODULE-PATH)
# as the launcher does per JDK: COMPAT locale data is gone from 23 on; 21+ warns about native
# access unless allowed
if (( JAVA_MAJOR >= 23 )); then JAVA_OPTS+=(-Djava.locale.providers=SPI,CLDR); else JAVA_OPTS+=(-Djava.locale.providers=SPI,COMPAT); fi
(( JAVA_MAJOR >= 21 )) && JAVA_OPTS+=(--enable-native-access=org.elasticsearch.nativeaccess,org.apache.lucene.core)

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null; }
# the body of GET $1 on the server (bash only: no curl needed), empty if no answer
http_get() {
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$0" >&3
    sed "1,/^\r\{0,1\}$/d" <&3' "$HOST" "$PORT" "$1" 2>/dev/null || true
}
# true if $1 is a live process running our server on this port (not a recycled PID)
is_ours() {
  local args
  [[ "$1" =~ ^[0-9]+$ ]] && args="$(ps -ww -o args= -p "$1" 2>/dev/null)" &&
    [[ "$args" == *" $MAIN $PORT" ]]
}
healthy() {  # cluster yellow or green
  http_get "/_cluster/health?wait_for_status=yellow&timeout=2s" | grep -qE '"status":"(green|yellow)"'
}

# One start.sh at a time in this folder (shared target/ and PID files).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DIR/.start.lock"
  flock -w 900 9 || fail "another start.sh is still running in $DIR"
fi

# --- already running? ---------------------------------------------------------------------
PID=""
if [[ -f "$PID_FILE" ]]; then
  OLD_PID="$(cat "$PID_FILE" 2>/dev/null || true)"
  if is_ours "$OLD_PID"; then
    if port_open && healthy; then
      echo "elasticsearch: already running on http://$HOST:$PORT (pid $OLD_PID)"
      exit 0
    fi
    PID="$OLD_PID"   # still starting up: wait for it below
    echo "elasticsearch: pid $PID is still starting on port $PORT; waiting"
  else
    rm -f "$PID_FILE"  # stale
  fi
fi
if [[ -z "$PID" ]] && port_open; then
  fail "port $PORT on $HOST is already in use by another process (not started by this script); stop it or pass another port"
fi

# --- build (distribution unpacked into target/, plugin installed, launcher jar) -----------
needs_build() {
  [[ -f "$STAMP" && -f "$LAUNCHER" && -d "$ES_HOME/lib" && -d "$ES_HOME/plugins/looma-extras" ]] || return 0
  [[ "$DIR/pom.xml" -nt "$STAMP" ]] && return 0
  [[ -n "$(find "$DIR/src" -type f -newer "$STAMP" -print -quit)" ]] && return 0
  return 1
}
if [[ -z "$PID" ]] && needs_build; then
  rm -f "$STAMP"
  # a fresh unpack: an old distribution or plugin jar must not linger in target/
  rm -rf "$DIR/target/elasticsearch-"* "$DIR/target/dependency-maven-plugin-markers"
  if mvn -q -o -B -f "$DIR/pom.xml" package >"$BUILD_LOG" 2>&1; then
    :
  else
    echo "elasticsearch: building $DIR (first run: downloads Elasticsearch $ES_VERSION from Maven Central, ~110 MB) ..."
    if ! mvn -q -B -f "$DIR/pom.xml" package >"$BUILD_LOG" 2>&1; then
      tail -n 40 "$BUILD_LOG" >&2
      fail "Maven build failed (full log: $BUILD_LOG)"
    fi
  fi
  touch "$STAMP"
fi

# --- start --------------------------------------------------------------------------------
if [[ -z "$PID" ]]; then
  rm -rf "$WORK/tmp" && mkdir -p "$WORK/tmp"   # the server wipes $WORK/data itself
  cd "$DIR"
  # The server gets no fd of the caller's (a pipe held open would keep e.g. `out=$(start.sh)`
  # or a CI runner waiting) nor our lock; nohup + </dev/null detach it from the terminal.
  # $! is java's PID (exec, nohup exec).
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 )) && eval "exec $fd>&-"
    done 2>/dev/null
    exec nohup "$JAVA" "${JAVA_OPTS[@]}" -cp "$LAUNCHER" "$MAIN" "$PORT" >"$LOG_FILE" 2>&1 </dev/null
  ) &
  PID=$!
  echo "$PID" >"$PID_FILE"
fi

show_logs() {
  echo "--- last lines of $LOG_FILE:" >&2
  tail -n 30 "$LOG_FILE" >&2 || true
  if [[ -f "$ES_LOG" ]]; then
    echo "--- last lines of $ES_LOG:" >&2
    tail -n 30 "$ES_LOG" >&2 || true
  fi
}
stop_failed_start() {
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$PID" 2>/dev/null || true
  rm -f "$PID_FILE"
}

DEADLINE=$((SECONDS + TIMEOUT))
while :; do
  if ! kill -0 "$PID" 2>/dev/null; then
    rm -f "$PID_FILE"
    echo "elasticsearch: the server exited during startup" >&2
    show_logs
    exit 1
  fi
  if grep -q "ELASTICSEARCH READY" "$LOG_FILE" 2>/dev/null && healthy; then
    break
  fi
  if (( SECONDS >= DEADLINE )); then
    echo "elasticsearch: no yellow cluster on http://$HOST:$PORT within ${TIMEOUT}s" >&2
    show_logs
    stop_failed_start
    exit 1
  fi
  sleep 0.5
done

echo "elasticsearch: ready on http://$HOST:$PORT (Elasticsearch $ES_VERSION, pid $PID, no auth, log $ES_LOG)"
