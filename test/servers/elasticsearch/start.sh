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
# The common part (build, start, wait) is ../java-server.sh.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=elasticsearch
MAIN=looma.testservers.ElasticsearchTestServer
PORT="${1:-${ELASTICSEARCH_PORT:-9200}}"
URL="http://127.0.0.1:$PORT"
TIMEOUT="${ELASTICSEARCH_START_TIMEOUT:-180}"
LAUNCHER="$DIR/target/looma-es-launcher.jar"
ES_VERSION="$(sed -n 's:.*<es.version>\(.*\)</es.version>.*:\1:p' "$DIR/pom.xml")"
ES_HOME="$DIR/target/elasticsearch-$ES_VERSION"
WORK="$DIR/target/run-$PORT"          # data/ (wiped at start), logs/, tmp/
ES_LOG="$WORK/logs/looma-test-$PORT.log"
JAVA_NEEDS="Elasticsearch $ES_VERSION needs Java 17+"
MVN_GOAL=package
BUILD_NOTE="first run: downloads Elasticsearch $ES_VERSION from Maven Central, ~110 MB"
READY_MARKER="ELASTICSEARCH READY"
NOT_READY="no yellow cluster on $URL"
READY_INFO="Elasticsearch $ES_VERSION"
READY_LOG="$ES_LOG"
source "$DIR/../java-server.sh"
[[ -n "$ES_VERSION" ]] || fail "cannot read <es.version> from $DIR/pom.xml"

# Heap for small test indices (fits beside Neo4j and the test workers on 2 cores / 24 GiB).
# The rest are the flags Elasticsearch's own launcher passes that matter embedded: Netty
# without Unsafe, log4j without lookups or its own shutdown hook, the entitlement bridge that
# the server module links against, and the distribution's lib/ as the module path.
java_opts() {
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
  if (( JAVA_MAJOR >= 21 )); then JAVA_OPTS+=(--enable-native-access=org.elasticsearch.nativeaccess,org.apache.lucene.core); fi
}

# the body of GET $1 on the server (bash only: no curl needed), empty if no answer
http_get() {
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$0" >&3
    sed "1,/^\r\{0,1\}$/d" <&3' "$HOST" "$PORT" "$1" 2>/dev/null || true
}
server_ready() {  # cluster yellow or green
  http_get "/_cluster/health?wait_for_status=yellow&timeout=2s" | grep -qE '"status":"(green|yellow)"'
}

# distribution unpacked into target/, plugin installed, launcher jar
needs_build() {
  [[ -f "$DIR/target/.built" && -f "$LAUNCHER" && -d "$ES_HOME/lib" && -d "$ES_HOME/plugins/looma-extras" ]] || return 0
  [[ "$DIR/pom.xml" -nt "$DIR/target/.built" ]] && return 0
  [[ -n "$(find "$DIR/src" -type f -newer "$DIR/target/.built" -print -quit)" ]] && return 0
  return 1
}
before_build() {  # a fresh unpack: an old distribution or plugin jar must not linger in target/
  rm -rf "$DIR/target/elasticsearch-"* "$DIR/target/dependency-maven-plugin-markers"
}
server_classpath() { printf '%s' "$LAUNCHER"; }
before_start() {  # the server wipes $WORK/data itself
  rm -rf "$WORK/tmp" && mkdir -p "$WORK/tmp"
}
show_logs() {
  echo "--- last lines of $LOG_FILE:" >&2
  tail -n 30 "$LOG_FILE" >&2 || true
  if [[ -f "$ES_LOG" ]]; then
    echo "--- last lines of $ES_LOG:" >&2
    tail -n 30 "$ES_LOG" >&2 || true
  fi
}

java_server_start
