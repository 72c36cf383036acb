#!/usr/bin/env bash
# Stop the Elasticsearch test server(s) started by start.sh.
#
#   test/servers/elasticsearch/stop.sh [port]    no port: every server started from this folder
#
# SIGTERM (clean shutdown via the server's hook), SIGKILL after $ELASTICSEARCH_STOP_TIMEOUT s (20).
# Exit 0 also when nothing was running. The data directory stays until the next start wipes it.
set -uo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MAIN=looma.testservers.ElasticsearchTestServer
TIMEOUT="${ELASTICSEARCH_STOP_TIMEOUT:-20}"

is_ours() {  # pid port
  local args
  [[ "$1" =~ ^[0-9]+$ ]] && args="$(ps -ww -o args= -p "$1" 2>/dev/null)" &&
    [[ "$args" == *" $MAIN $2" ]]
}

stop_one() {  # pid-file
  local pid_file="$1" port pid
  port="$(basename "$pid_file" .pid)"; port="${port#elasticsearch-}"
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  if ! is_ours "$pid" "$port"; then
    echo "elasticsearch: not running on port $port (removed stale $(basename "$pid_file"))"
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "elasticsearch: pid $pid did not stop within ${TIMEOUT}s of SIGTERM; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$pid_file"
  echo "elasticsearch: stopped on port $port (pid $pid)"
}

if [[ $# -gt 0 ]]; then
  [[ "$1" =~ ^[0-9]+$ ]] || { echo "elasticsearch: bad port '$1'" >&2; exit 1; }
  files=("$DIR/elasticsearch-$1.pid")
  [[ -f "${files[0]}" ]] || { echo "elasticsearch: not running on port $1"; exit 0; }
else
  shopt -s nullglob
  files=("$DIR"/elasticsearch-*.pid)
  (( ${#files[@]} )) || { echo "elasticsearch: not running"; exit 0; }
fi
for f in "${files[@]}"; do stop_one "$f"; done
exit 0
