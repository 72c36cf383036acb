#!/usr/bin/env bash
# Installs pgvector into this machine's PostgreSQL server (the AI subgraph's vectors on a real
# server; PGlite ships its own). Idempotent; about 15 s the first time.
#
# Debian 12 packages no pgvector for its PostgreSQL 15, so this builds Debian trixie's pgvector
# source package (0.8) against the server's headers. The source comes through a private apt
# state: the machine's own apt sources are left untouched.
#
# Exit codes: 0 installed (now or already), 1 failed, 3 not possible here (not root, no apt, no
# server) -- the pgvector-on-PostgreSQL suite then reports itself skipped, with the reason.
set -euo pipefail

skip() { echo "pgvector: not installed — $*"; exit 3; }

MAJOR="$(psql -h 127.0.0.1 -U postgres -d postgres -Atc 'show server_version_num' 2>/dev/null | cut -c1-2 || true)"
[[ "$MAJOR" =~ ^[0-9]+$ ]] || skip "no PostgreSQL answers on 127.0.0.1:5432"
PG_CONFIG="/usr/lib/postgresql/$MAJOR/bin/pg_config"
if [[ -f "/usr/share/postgresql/$MAJOR/extension/vector.control" && -f "/usr/lib/postgresql/$MAJOR/lib/vector.so" ]]; then
  echo "pgvector: already installed for PostgreSQL $MAJOR"
  exit 0
fi
(( EUID == 0 )) || skip "installing needs root"
command -v apt-get >/dev/null || skip "no apt-get"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -q --no-install-recommends "postgresql-server-dev-$MAJOR" build-essential >/dev/null
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/parts" "$WORK/lists/partial" "$WORK/cache/archives/partial"
cat >"$WORK/parts/trixie-src.sources" <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
APT=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$WORK/parts"
  -o Dir::State::Lists="$WORK/lists" -o Dir::Cache="$WORK/cache" -o APT::Sandbox::User=root)
apt-get "${APT[@]}" update -qq
(cd "$WORK" && apt-get "${APT[@]}" source --download-only -qq pgvector)
tar -xzf "$WORK"/pgvector_*.orig.tar.gz -C "$WORK"
cd "$WORK"/pgvector-*/
# OPTFLAGS="": no -march=native, so the build runs on any x86-64; with_llvm=no: no JIT bitcode.
make -s -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" with_llvm=no
make -s install PG_CONFIG="$PG_CONFIG" with_llvm=no
echo "pgvector: installed for PostgreSQL $MAJOR ($(grep default_version "/usr/share/postgresql/$MAJOR/extension/vector.control"))"
