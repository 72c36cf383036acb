#!/usr/bin/env bash
# Start the embedded Neo4j test server (see README.md) in the background and wait for Bolt.
#
#   test/servers/neo4j/start.sh [port]      port defaults to $NEO4J_PORT or 7687
#
# Exit codes: 0 running (started now or already), 1 failed, 3 not available here
# (no Java 17+ or no Maven) -- callers treat 3 as "skip the Neo4j suites".
# Env: JAVA_HOME (else java on PATH), NEO4J_JAVA_OPTS (heap etc.),
#      NEO4J_START_TIMEOUT (seconds to wait for Bolt, default 180).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-${NEO4J_PORT:-7687}}"
HOST=127.0.0.1
MAIN=looma.testservers.Neo4jTestServer
PID_FILE="$DIR/neo4j-$PORT.pid"
LOG_FILE="$DIR/neo4j-$PORT.log"
BUILD_LOG="$DIR/build.log"
STAMP="$DIR/target/.built"
CP_FILE="$DIR/target/classpath.txt"
TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
# Heap for tiny test graphs; the --add-opens/-D flags are those Neo4j 5's own neo4j.conf
# passes (without java.nio the page cache falls back to a slower mode and says so).
JAVA_OPTS=(${NEO4J_JAVA_OPTS:--Xms128m -Xmx768m}
  -XX:+ExitOnOutOfMemoryError
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --enable-native-access=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
  -Djdk.nio.maxCachedBufferSize=1024
  -Dlog4j2.disable.jmx=true
  -Dfile.encoding=UTF-8)

skip() { echo "neo4j: skipped — $*"; exit 3; }
fail() { echo "neo4j: $*" >&2; exit 1; }

[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || fail "bad port '$PORT'"

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
(( JAVA_MAJOR >= 17 )) || skip "Java $JAVA_MAJOR at $JAVA; Neo4j 5.26 needs Java 17 or 21"
command -v mvn >/dev/null 2>&1 || skip "no Maven (mvn) on PATH"
# Neo4j 5 uses sun.misc.Unsafe; Java 23+ warns about that on stderr unless allowed.
(( JAVA_MAJOR >= 23 )) && JAVA_OPTS+=(--sun-misc-unsafe-memory-access=allow)

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null; }
# true if $1 is a live process running our server on this port (not a recycled PID)
is_ours() {
  local args
  [[ "$1" =~ ^[0-9]+$ ]] && args="$(ps -ww -o args= -p "$1" 2>/dev/null)" &&
    [[ "$args" == *" $MAIN $PORT" ]]
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
    if port_open; then
      echo "neo4j: already running on bolt://$HOST:$PORT (pid $OLD_PID)"
      exit 0
    fi
    PID="$OLD_PID"   # still starting up: wait for it below
    echo "neo4j: pid $PID is still starting on port $PORT; waiting"
  else
    rm -f "$PID_FILE"  # stale
  fi
fi
if [[ -z "$PID" ]] && port_open; then
  fail "port $PORT on $HOST is already in use by another process (not started by this script); stop it or pass another port"
fi

# --- build (compile + classpath file; no jar) ---------------------------------------------
needs_build() {
  [[ -f "$STAMP" && -f "$CP_FILE" ]] || return 0
  [[ "$DIR/pom.xml" -nt "$STAMP" ]] && return 0
  [[ -n "$(find "$DIR/src" -type f -newer "$STAMP" -print -quit)" ]] && return 0
  local jar jars
  IFS=: read -r -a jars <"$CP_FILE"
  for jar in "${jars[@]}"; do [[ -f "$jar" ]] || return 0; done  # Maven cache cleaned?
  return 1
}
if [[ -z "$PID" ]] && needs_build; then
  rm -f "$STAMP"
  if mvn -q -o -B -f "$DIR/pom.xml" compile >"$BUILD_LOG" 2>&1; then
    :
  else
    echo "neo4j: building $DIR (first run: downloads Neo4j 5.26 from Maven Central, ~180 MB) ..."
    if ! mvn -q -B -f "$DIR/pom.xml" compile >"$BUILD_LOG" 2>&1; then
      tail -n 40 "$BUILD_LOG" >&2
      fail "Maven build failed (full log: $BUILD_LOG)"
    fi
  fi
  touch "$STAMP"
fi

# --- start --------------------------------------------------------------------------------
if [[ -z "$PID" ]]; then
  cd "$DIR"
  # CLASSPATH instead of -cp keeps the 240-jar list out of `ps`. The server gets no fd of the
  # caller's (a pipe held open would keep e.g. `out=$(start.sh)` or a CI runner waiting) nor
  # our lock; nohup + </dev/null detach it from the terminal. $! is java's PID (exec, nohup exec).
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 )) && eval "exec $fd>&-"
    done 2>/dev/null
    export CLASSPATH="$DIR/target/classes:$(cat "$CP_FILE")"
    exec nohup "$JAVA" "${JAVA_OPTS[@]}" "$MAIN" "$PORT" >"$LOG_FILE" 2>&1 </dev/null
  ) &
  PID=$!
  echo "$PID" >"$PID_FILE"
fi

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
    echo "neo4j: the server exited during startup; last lines of $LOG_FILE:" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
    exit 1
  fi
  if grep -q "NEO4J READY" "$LOG_FILE" 2>/dev/null && port_open; then
    break
  fi
  if (( SECONDS >= DEADLINE )); then
    echo "neo4j: Bolt on $HOST:$PORT did not accept connections within ${TIMEOUT}s; last lines of $LOG_FILE:" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
    stop_failed_start
    exit 1
  fi
  sleep 0.5
done

echo "neo4j: ready on bolt://$HOST:$PORT (pid $PID, no auth, log $LOG_FILE)"
