#!/usr/bin/env bash
# Start the MongoDB wire-compatible test server (mongo-java-server, see README.md) in the
# background and wait until it accepts connections.
#
#   test/servers/mongo/start.sh [port]      port defaults to $MONGO_PORT or 27017
#
# Exit codes: 0 running (started now or already), 1 failed, 3 not available here
# (no Java 17+ or no Maven) -- callers treat 3 as "skip the MongoDB suites".
# Env: JAVA_HOME (else java on PATH), MONGO_JAVA_OPTS (heap etc.),
#      MONGO_START_TIMEOUT (seconds to wait for the port, default 60),
#      MONGO_OPLOG=1 (oplog on: change streams work; off by default, like a standalone mongod).
# The common part (build, start, wait) is ../java-server.sh.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=mongo
MAIN=looma.testservers.MongoTestServer
PORT="${1:-${MONGO_PORT:-27017}}"
URL="mongodb://127.0.0.1:$PORT"
TIMEOUT="${MONGO_START_TIMEOUT:-60}"
MJS_VERSION="$(sed -n 's:.*<mongo-java-server.version>\(.*\)</mongo-java-server.version>.*:\1:p' "$DIR/pom.xml")"
JAVA_NEEDS="mongo-java-server $MJS_VERSION needs Java 17+"
MVN_GOAL=compile
BUILD_NOTE="first run: downloads mongo-java-server $MJS_VERSION and Netty from Maven Central, ~4 MB"
READY_MARKER="MONGO READY"
NOT_READY="$URL did not accept connections"
READY_INFO="mongo-java-server $MJS_VERSION, in memory${MONGO_OPLOG:+, oplog on}"
source "$DIR/../java-server.sh"

# Data is held in the heap: test data is small. SLF4J (simple) logs the server's warnings and
# errors (an unsupported command or operator, with its stack trace) to mongo-<port>.log, and not
# the info line per client connection.
java_opts() {
  JAVA_OPTS=(${MONGO_JAVA_OPTS:--Xms64m -Xmx512m}
    -XX:+ExitOnOutOfMemoryError
    -XX:+UseSerialGC
    -Dfile.encoding=UTF-8
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
    -Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.MongoServer=info
    -Dorg.slf4j.simpleLogger.showDateTime=true
    -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS)
  if [[ -n "${MONGO_OPLOG:-}" && "$MONGO_OPLOG" != 0 ]]; then JAVA_OPTS+=(-Dlooma.mongo.oplog=true); fi
}

java_server_start
