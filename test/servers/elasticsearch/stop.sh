#!/usr/bin/env bash
# Stop the Elasticsearch test server(s) started by start.sh.
#
#   test/servers/elasticsearch/stop.sh [port]    no port: every server started from this folder
#
# SIGTERM (clean shutdown via the server's hook), SIGKILL after $ELASTICSEARCH_STOP_TIMEOUT s (20).
# Exit 0 also when nothing was running. The data directory stays until the next start wipes it.
# The common part is ../java-server.sh.
set -uo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=elasticsearch
MAIN=looma.testservers.ElasticsearchTestServer
TIMEOUT="${ELASTICSEARCH_STOP_TIMEOUT:-20}"
source "$DIR/../java-server.sh"
java_server_stop "$@"
