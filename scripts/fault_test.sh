#!/usr/bin/env bash
# Fault test (docs/faults.md): 50 concurrent API clients submit and accept cases on a fresh
# PostgreSQL database behind gunicorn while the notification worker is killed with SIGKILL
# mid-send and PostgreSQL is restarted once; then checks that no case was lost or doubled,
# numbers have no gaps and every SMS went out exactly once. Exit 1 on any violation.
#
#   SANYI_TEST_POSTGRES_URL  server to use (default postgres://postgres@127.0.0.1:5432/postgres)
#   arguments go to the driver: --no-pg-restart, --clients N, --rounds N, --keep-db, --help
# Restarting PostgreSQL needs a local cluster (pg_ctlcluster) and root or the postgres user.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$SANYI_ROOT"
ensure_venv
PYTHONPATH="$SANYI_ROOT/src${PYTHONPATH:+:$PYTHONPATH}" exec "$PY" tests/faults/fault_run.py "$@"
