#!/usr/bin/env bash
# Stop the embedded Neo4j test server(s) started by start.sh.
#
#   test/servers/neo4j/stop.sh [port]    no port: every server started from this folder
#
# SIGTERM (clean shutdown via the server's hook), SIGKILL after $NEO4J_STOP_TIMEOUT s (20).
# Exit 0 also when nothing was running. The common part is ../java-server.sh.
set -uo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=neo4j
MAIN=looma.testservers.Neo4jTestServer
TIMEOUT="${NEO4J_STOP_TIMEOUT:-20}"
source "$DIR/../java-server.sh"

# SIGKILLed: the shutdown hook did not get to remove the data directory.
after_kill() {
  local dir
  dir="$(sed -n 's/^neo4j: starting, data in //p' "$DIR/neo4j-$1.log" 2>/dev/null | tail -n 1)"
  if [[ "$dir" == */looma-neo4j-* && -d "$dir" ]]; then rm -rf -- "$dir"; fi
}

java_server_stop "$@"
