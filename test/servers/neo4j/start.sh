#!/usr/bin/env bash
# Start the embedded Neo4j test server (see README.md) in the background and wait for Bolt.
#
#   test/servers/neo4j/start.sh [port]      port defaults to $NEO4J_PORT or 7687
#
# Exit codes: 0 running (started now or already), 1 failed, 3 not available here
# (no Java 17+ or no Maven) -- callers treat 3 as "skip the Neo4j suites".
# Env: JAVA_HOME (else java on PATH), NEO4J_JAVA_OPTS (heap etc.),
#      NEO4J_START_TIMEOUT (seconds to wait for Bolt, default 180).
# The common part (build, start, wait) is ../java-server.sh.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=neo4j
MAIN=looma.testservers.Neo4jTestServer
PORT="${1:-${NEO4J_PORT:-7687}}"
URL="bolt://127.0.0.1:$PORT"
TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
JAVA_NEEDS="Neo4j 5.26 needs Java 17 or 21"
MVN_GOAL=compile
BUILD_NOTE="first run: downloads Neo4j 5.26 from Maven Central, ~180 MB"
READY_MARKER="NEO4J READY"
NOT_READY="Bolt on 127.0.0.1:$PORT did not accept connections"
source "$DIR/../java-server.sh"

# Heap for tiny test graphs; the --add-opens/-D flags are those Neo4j 5's own neo4j.conf
# passes (without java.nio the page cache falls back to a slower mode and says so).
java_opts() {
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
  # Neo4j 5 uses sun.misc.Unsafe; Java 23+ warns about that on stderr unless allowed.
  if (( JAVA_MAJOR >= 23 )); then JAVA_OPTS+=(--sun-misc-unsafe-memory-access=allow); fi
}

java_server_start
