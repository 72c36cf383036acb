#!/usr/bin/env bash
# Stop the MongoDB wire-compatible test server(s) started by start.sh.
#
#   test/servers/mongo/stop.sh [port]    no port: every server started from this folder
#
# SIGTERM (clean shutdown via the server's hook), SIGKILL after $MONGO_STOP_TIMEOUT s (20).
# Exit 0 also when nothing was running. The data was in memory: it is gone.
# The common part is ../java-server.sh.
set -uo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=mongo
MAIN=looma.testservers.MongoTestServer
TIMEOUT="${MONGO_STOP_TIMEOUT:-20}"
source "$DIR/../java-server.sh"
java_server_stop "$@"
