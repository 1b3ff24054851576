#!/usr/bin/env bash
# Read replicas against a real streaming replica (docs/adr/0030-read-replicas.md): creates a
# throw-away PostgreSQL primary (initdb) and a streaming replica of it (pg_basebackup -R),
# each on a free loopback port in a temporary folder, runs tests/replication against the
# pair (replication lag made with pg_wal_replay_pause()), then stops and removes both.
# Skips with a message, and exit status 0, where the machine cannot run it: no PostgreSQL
# server programs, or root without a postgres user to own the clusters.
#
#   SANYI_PG_BIN   folder with initdb, pg_ctl, pg_basebackup (default: newest
#                  /usr/lib/postgresql/*/bin)
#   extra arguments are passed to pytest (e.g. scripts/replica_test.sh -k dashboard)
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$SANYI_ROOT"

skip() { echo "Replica test SKIPPED: $*"; exit 0; }

PG_BIN="${SANYI_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}"
for program in initdb pg_ctl pg_basebackup; do
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/$program" ] ||
    skip "no PostgreSQL server programs (initdb, pg_ctl, pg_basebackup) in ${PG_BIN:-/usr/lib/postgresql/*/bin}; apt-get install postgresql"
done
# PostgreSQL refuses to run as root: as root, the clusters belong to the postgres user.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || skip "running as root and there is no postgres user to own the clusters"
  command -v runuser >/dev/null 2>&1 || skip "running as root and runuser is missing"
  as_pg=(runuser -u postgres --)
fi
[ -x "$PY" ] || ensure_venv

WORK="$(mktemp -d -t sanyi-replica-XXXXXX)"
cleanup() {
  for cluster in replica primary; do
    if [ -f "$WORK/$cluster/postmaster.pid" ]; then
      "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$WORK/$cluster" -m immediate stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/app"
[ ${#as_pg[@]} -eq 0 ] || chown postgres "$WORK"

read -r PRIMARY_PORT REPLICA_PORT < <("$PY" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
')
# fsync off: the clusters live for one run; nothing in them needs to survive a crash.
server_options() { echo "-p $1 -c listen_addresses=127.0.0.1 -k $WORK -c fsync=off"; }

log "Primary: initdb, port $PRIMARY_PORT"
"${as_pg[@]}" "$PG_BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 --no-locale \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; exit 1; }
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w \
  -o "$(server_options "$PRIMARY_PORT")" start >/dev/null

log "Streaming replica: pg_basebackup -R, port $REPLICA_PORT"
"${as_pg[@]}" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
  -D "$WORK/replica" -R -X stream -c fast
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$WORK/replica" -l "$WORK/replica.log" -w \
  -o "$(server_options "$REPLICA_PORT")" start >/dev/null

log "Router tests against the pair (tests/replication)"
status=0
env -u DATABASE_TEST_NAME -u SANYI_REPLICA_DATABASE_URL \
  SANYI_ENV=test SANYI_REPLICA_CLUSTER=1 SANYI_DATA_DIR="$WORK/app" \
  PYTHONPATH="$SANYI_ROOT/src${PYTHONPATH:+:$PYTHONPATH}" \
  DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/sanyi" \
  DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$REPLICA_PORT/sanyi" \
  "$VENV/bin/pytest" -q --create-db tests/replication "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- primary log"; tail -n 30 "$WORK/primary.log"
  echo "--- replica log"; tail -n 30 "$WORK/replica.log"
fi
exit "$status"
