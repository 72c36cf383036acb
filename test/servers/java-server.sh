# Shared by the start.sh / stop.sh of the Java test servers (neo4j/, elasticsearch/, mongo/):
# sourced, not run. Each server's scripts set the variables below, source this file, override
# the hooks they need, then call java_server_start "$@" or java_server_stop "$@".
#
# Variables (set before calling):
#   DIR          the server's folder (pom.xml, src/, target/; PID and log files go here)
#   NAME         prefix of messages and of <NAME>-<port>.pid / .log
#   MAIN         the Java main class; the server runs as `java ... $MAIN $PORT`, which is how a
#                PID is recognised as ours (not a recycled one)
#   PORT         start only: the port (validated here)
#   URL          start only: printed when ready, e.g. bolt://127.0.0.1:$PORT
#   TIMEOUT      seconds start waits for readiness, or stop waits after SIGTERM
#   JAVA_NEEDS   start only: the end of the "needs Java" skip message ("Neo4j 5.26 needs Java 17 or 21")
#   MVN_GOAL     start only: the Maven phase that builds the module (compile or package)
#   BUILD_NOTE   start only: what a first build downloads, printed when the offline build fails
#   READY_MARKER start only: the line the server prints to its stdout once it has started
#   NOT_READY    start only: what did not happen in time ("Bolt on ... did not accept connections")
#   READY_INFO   start only: the details after "ready on $URL (" and before "pid N, ..."
#   READY_LOG    start only: the log named in the ready line (default: $LOG_FILE)
#
# Hooks (start; defaults below):
#   java_opts        fill JAVA_OPTS (an array); JAVA and JAVA_MAJOR are set
#   server_ready     true once the server serves (default: the port accepts connections)
#   needs_build      true if the module must be (re)built (default: no stamp, pom.xml or src/
#                    newer than it, or a jar of target/classpath.txt gone from the Maven cache)
#   before_build     run before Maven (default: nothing)
#   server_classpath print the class path (default: target/classes + target/classpath.txt)
#   before_start     run before the JVM starts, in $DIR (default: nothing)
#   show_logs        print what explains a failed start, to stderr (default: tail of $LOG_FILE)
# Hook (stop):
#   after_kill PORT  run when a server had to be SIGKILLed (default: nothing)
#
# start exit codes: 0 running (started now or already), 1 failed, 3 not available here (no Java
# 17+ or no Maven): callers treat 3 as "skip the suites". stop exits 0, also when nothing ran.

HOST=127.0.0.1

java_opts() { JAVA_OPTS=(); }
server_ready() { port_open; }
before_build() { :; }
before_start() { :; }
after_kill() { :; }
server_classpath() { printf '%s' "$DIR/target/classes:$(cat "$DIR/target/classpath.txt")"; }
needs_build() {
  local stamp="$DIR/target/.built" cp_file="$DIR/target/classpath.txt" jar jars
  [[ -f "$stamp" && -f "$cp_file" ]] || return 0
  [[ "$DIR/pom.xml" -nt "$stamp" ]] && return 0
  [[ -n "$(find "$DIR/src" -type f -newer "$stamp" -print -quit)" ]] && return 0
  IFS=: read -r -a jars <"$cp_file"
  for jar in "${jars[@]}"; do [[ -f "$jar" ]] || return 0; done  # Maven cache cleaned?
  return 1
}
show_logs() {
  echo "--- last lines of $LOG_FILE:" >&2
  tail -n 40 "$LOG_FILE" >&2 || true
}

skip() { echo "$NAME: skipped — $*"; exit 3; }
fail() { echo "$NAME: $*" >&2; exit 1; }
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null; }
# true if $1 is a live process running our server on port $2 (not a recycled PID)
is_ours() {
  local args
  [[ "$1" =~ ^[0-9]+$ ]] && args="$(ps -ww -o args= -p "$1" 2>/dev/null)" &&
    [[ "$args" == *" $MAIN $2" ]]
}

java_server_start() {
  PID_FILE="$DIR/$NAME-$PORT.pid"
  LOG_FILE="$DIR/$NAME-$PORT.log"
  local build_log="$DIR/build.log" stamp="$DIR/target/.built"

  [[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || fail "bad port '$PORT'"

  # --- what this machine has --------------------------------------------------------------
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
  else
    JAVA="$(command -v java || true)"
  fi
  [[ -n "$JAVA" ]] || skip "no Java found (set JAVA_HOME or put java 17+ on PATH)"
  local version_line
  version_line="$("$JAVA" -version 2>&1 | head -n 1 || true)"
  JAVA_MAJOR="$(sed -nE 's/.*version "([0-9]+).*/\1/p' <<<"$version_line")"
  [[ -n "$JAVA_MAJOR" ]] || skip "cannot run $JAVA ($version_line)"
  (( JAVA_MAJOR >= 17 )) || skip "Java $JAVA_MAJOR at $JAVA; $JAVA_NEEDS"
  command -v mvn >/dev/null 2>&1 || skip "no Maven (mvn) on PATH"
  java_opts

  # One start.sh at a time in this folder (shared target/ and PID files).
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$DIR/.start.lock"
    flock -w 900 9 || fail "another start.sh is still running in $DIR"
  fi

  # --- already running? -------------------------------------------------------------------
  PID=""
  if [[ -f "$PID_FILE" ]]; then
    local old_pid
    old_pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if is_ours "$old_pid" "$PORT"; then
      if port_open && server_ready; then
        echo "$NAME: already running on $URL (pid $old_pid)"
        exit 0
      fi
      PID="$old_pid"   # still starting up: wait for it below
      echo "$NAME: pid $PID is still starting on port $PORT; waiting"
    else
      rm -f "$PID_FILE"  # stale
    fi
  fi
  if [[ -z "$PID" ]] && port_open; then
    fail "port $PORT on $HOST is already in use by another process (not started by this script); stop it or pass another port"
  fi

  # --- build (offline first: later runs need no network) ----------------------------------
  if [[ -z "$PID" ]] && needs_build; then
    rm -f "$stamp"
    before_build
    if ! mvn -q -o -B -f "$DIR/pom.xml" "$MVN_GOAL" >"$build_log" 2>&1; then
      echo "$NAME: building $DIR ($BUILD_NOTE) ..."
      if ! mvn -q -B -f "$DIR/pom.xml" "$MVN_GOAL" >"$build_log" 2>&1; then
        tail -n 40 "$build_log" >&2
        fail "Maven build failed (full log: $build_log)"
      fi
    fi
    touch "$stamp"
  fi

  # --- start ------------------------------------------------------------------------------
  if [[ -z "$PID" ]]; then
    cd "$DIR"
    before_start
    local classpath
    classpath="$(server_classpath)"
    : >"$LOG_FILE"   # no READY line of an earlier run
    # CLASSPATH instead of -cp keeps a long jar list out of `ps`. The server gets no fd of the
    # caller's (a pipe held open would keep e.g. `out=$(start.sh)` or a CI runner waiting) nor
    # our lock; nohup + </dev/null detach it from the terminal. $! is java's PID (exec, nohup exec).
    (
      for fd in /proc/$BASHPID/fd/*; do
        fd="${fd##*/}"
        [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 )) && eval "exec $fd>&-"
      done 2>/dev/null
      export CLASSPATH="$classpath"
      exec nohup "$JAVA" "${JAVA_OPTS[@]}" "$MAIN" "$PORT" >"$LOG_FILE" 2>&1 </dev/null
    ) &
    PID=$!
    echo "$PID" >"$PID_FILE"
  fi

  # --- wait until it serves ---------------------------------------------------------------
  local deadline=$((SECONDS + TIMEOUT))
  while :; do
    if ! kill -0 "$PID" 2>/dev/null; then
      rm -f "$PID_FILE"
      echo "$NAME: the server exited during startup" >&2
      show_logs
      exit 1
    fi
    if grep -q "$READY_MARKER" "$LOG_FILE" 2>/dev/null && server_ready; then
      break
    fi
    if (( SECONDS >= deadline )); then
      echo "$NAME: $NOT_READY within ${TIMEOUT}s" >&2
      show_logs
      # stop the failed start
      kill -TERM "$PID" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$PID" 2>/dev/null || true
      rm -f "$PID_FILE"
      exit 1
    fi
    sleep 0.5
  done

  echo "$NAME: ready on $URL (${READY_INFO:+$READY_INFO, }pid $PID, no auth, log ${READY_LOG:-$LOG_FILE})"
}

java_server_stop() {
  local files pid_file port pid
  if [[ $# -gt 0 ]]; then
    [[ "$1" =~ ^[0-9]+$ ]] || { echo "$NAME: bad port '$1'" >&2; exit 1; }
    files=("$DIR/$NAME-$1.pid")
    [[ -f "${files[0]}" ]] || { echo "$NAME: not running on port $1"; exit 0; }
  else
    shopt -s nullglob
    files=("$DIR/$NAME"-*.pid)
    (( ${#files[@]} )) || { echo "$NAME: not running"; exit 0; }
  fi
  for pid_file in "${files[@]}"; do
    port="$(basename "$pid_file" .pid)"; port="${port#"$NAME"-}"
    pid="$(cat "$pid_file" 2>/dev/null || true)"
    if ! is_ours "$pid" "$port"; then
      echo "$NAME: not running on port $port (removed stale $(basename "$pid_file"))"
      rm -f "$pid_file"
      continue
    fi
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$NAME: pid $pid did not stop within ${TIMEOUT}s of SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      after_kill "$port"
    fi
    rm -f "$pid_file"
    echo "$NAME: stopped on port $port (pid $pid)"
  done
  exit 0
}
