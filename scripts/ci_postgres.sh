#!/usr/bin/env bash
# Start a throwaway local PostgreSQL for the storage tests and print the URL to test against.
#
#   bash scripts/ci_postgres.sh [ENV_FILE]
#
# Installs Debian's `postgresql` package if no server binaries are found, creates (once) a cluster in
# $MARSAD_PG_DIR (default /tmp/marsad-pg) owned by the `postgres` user when run as root, starts it on
# 127.0.0.1:$MARSAD_PG_PORT (default 54329) with trust authentication for local connections only, and
# creates the database `marsad_test`. Idempotent: a second run finds the server up and only prints the URL.
# The last line of stdout is `export MARSAD_TEST_PG_URL=postgresql://…`; with ENV_FILE it is also written
# there (scripts/test.sh sources it). Stop it with: pg_ctl -D $MARSAD_PG_DIR stop (as the same user).
set -euo pipefail

PGDIR="${MARSAD_PG_DIR:-/tmp/marsad-pg}"
PORT="${MARSAD_PG_PORT:-54329}"
DB="${MARSAD_PG_DB:-marsad_test}"
OUT="${1:-}"
export PGOPTIONS="-c client_min_messages=warning"

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

BIN=$(find_bindir || true)
if [ -z "$BIN" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ci_postgres: PostgreSQL is not installed and this is not root; install the 'postgresql' package" >&2
    exit 1
  fi
  echo "ci_postgres: installing Debian package postgresql…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq --no-install-recommends postgresql >&2
  BIN=$(find_bindir)
fi

# As root, the server must run as an unprivileged user: the `postgres` user the package creates.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
  RUN=(runuser -u postgres --)
  OWNER=postgres
else
  RUN=()
  OWNER=$(id -un)
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  if [ ! -f "$PGDIR/PG_VERSION" ]; then
    rm -rf "$PGDIR"
    mkdir -p "$PGDIR"
    chown "$OWNER" "$PGDIR"
    chmod 700 "$PGDIR"
    # C.UTF-8: byte-order collation, but Unicode character classes, so pg_trgm indexes Arabic letters
    "${RUN[@]}" "$BIN/initdb" -D "$PGDIR" -U "$OWNER" -E UTF8 --locale=C.UTF-8 -A trust >"$PGDIR.initdb.log" 2>&1 \
      || { cat "$PGDIR.initdb.log" >&2; exit 1; }
  fi
  "${RUN[@]}" "$BIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w -t 60 \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >&2 || { tail -20 "$PGDIR/server.log" >&2; exit 1; }
fi

if ! "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$OWNER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$OWNER" -d postgres -qc "CREATE DATABASE $DB" >&2
fi
"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$OWNER" -d "$DB" -qc "CREATE EXTENSION IF NOT EXISTS pg_trgm" >&2 || \
  echo "ci_postgres: pg_trgm unavailable; search falls back to unindexed regular expressions" >&2

URL="postgresql://$OWNER@127.0.0.1:$PORT/$DB"
LINE="export MARSAD_TEST_PG_URL=$URL"
if [ -n "$OUT" ]; then echo "$LINE" >"$OUT"; fi
echo "$LINE"
