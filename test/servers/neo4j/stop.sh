#!/usr/bin/env bash
# Stop the embedded Neo4j test server(s) started by start.sh.
#
#   test/servers/neo4j/stop.sh [port]    no port: every server started from this folder
#
# SIGTERM (clean shutdown via the server's hook), SIGKILL after $NEO4J_STOP_TIMEOUT s (20).
# Exit 0 also when nothing was running.
set -uo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MAIN=looma.testservers.Neo4jTestServer
TIMEOUT="${NEO4J_STOP_TIMEOUT:-20}"

is_ours() {  # pid port
  local args
  [[ "$1" =~ ^[0-9]+$ ]] && args="$(ps -ww -o args= -p "$1" 2>/dev/null)" &&
    [[ "$args" == *" $MAIN $2" ]]
}

stop_one() {  # pid-file
  local pid_file="$1" port pid log dir
  port="$(basename "$pid_file" .pid)"; port="${port#neo4j-}"
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  if ! is_ours "$pid" "$port"; then
    echo "neo4j: not running on port $port (removed stale $(basename "$pid_file"))"
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "neo4j: pid $pid did not stop within ${TIMEOUT}s of SIGTERM; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    # the shutdown hook did not get to remove the data directory
    log="$DIR/neo4j-$port.log"
    dir="$(sed -n 's/^neo4j: starting, data in //p' "$log" 2>/dev/null | tail -n 1)"
    [[ "$dir" == */looma-neo4j-* && -d "$dir" ]] && rm -rf -- "$dir"
  fi
  rm -f "$pid_file"
  echo "neo4j: stopped on port $port (pid $pid)"
}

if [[ $# -gt 0 ]]; then
  [[ "$1" =~ ^[0-9]+$ ]] || { echo "neo4j: bad port '$1'" >&2; exit 1; }
  files=("$DIR/neo4j-$1.pid")
  [[ -f "${files[0]}" ]] || { echo "neo4j: not running on port $1"; exit 0; }
else
  shopt -s nullglob
  files=("$DIR"/neo4j-*.pid)
  (( ${#files[@]} )) || { echo "neo4j: not running"; exit 0; }
fi
for f in "${files[@]}"; do stop_one "$f"; done
exit 0
