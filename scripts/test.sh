#!/usr/bin/env bash
# One command for a fresh clone: set up and run every check and the whole test suite,
# on SQLite and, when a PostgreSQL server is reachable, on PostgreSQL too.
#
#   SANYI_TEST_POSTGRES_URL  server to use (default postgres://postgres@127.0.0.1:5432/postgres)
#   SANYI_REQUIRE_POSTGRES=1 fail instead of skipping when PostgreSQL is not reachable
#   extra arguments are passed to pytest (e.g. scripts/test.sh -k calendar)
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$SANYI_ROOT"

ensure_system_packages test
ensure_venv

export SANYI_ENV=test
export SANYI_DATA_DIR
SANYI_DATA_DIR="$(mktemp -d -t sanyi-test-XXXXXX)"
pg_pid=""
install_pid=""
trap 'for p in $pg_pid $install_pid; do kill "$p" 2>/dev/null || true; done; rm -rf "$SANYI_DATA_DIR"' EXIT
SANYI="$VENV/bin/sanyi"
status=0

# The plain-install check builds its own virtualenv and demo: it runs beside the static
# checks and the fuzzing, and its output is shown after them.
install_log="$SANYI_DATA_DIR/install-check.log"
bash scripts/check_install.sh >"$install_log" 2>&1 &
install_pid=$!

log "Lint and format (ruff)"
"$VENV/bin/ruff" check . || status=1
"$VENV/bin/ruff" format --check . || status=1

log "No function over 60 lines without a reason (scripts/long_functions.py)"
"$PY" scripts/long_functions.py || status=1

log "Import layers (import-linter)"
"$VENV/bin/lint-imports" || status=1

log "Types (mypy)"
"$VENV/bin/mypy" || status=1

log "Migrations match the models"
"$SANYI" makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run 'sanyi makemigrations'"; status=1; }

log "Committed OpenAPI schema matches the code"
bash scripts/check_openapi.sh || status=1

log "API schema fuzzing (schemathesis: no server errors, responses match the schema)"
SANYI_VENV="$VENV" bash scripts/fuzz_api.sh || status=1

log "A plain pip install works (fresh virtualenv, no extras; it ran beside the checks above)"
install_status=0
wait "$install_pid" || install_status=$?
cat "$install_log"
[ "$install_status" -eq 0 ] || status=1

# The suite runs on SQLite and on PostgreSQL, each split in two halves by test file
# (SANYI_TEST_SHARD, conftest.py): four processes, each with its own data folder and
# database, keep both cores busy until the end. The first SQLite half prints as it goes;
# the other halves' output follows when they end.
SHARDS=2
suite_pids=()
suite_logs=()
start_suite() {  # start_suite NAME SHARD DATABASE_URL [TEST_DB_NAME] -- pytest args
  local name="$1" shard="$2" url="$3" test_db="$4"; shift 5
  local dir="$SANYI_DATA_DIR/$name"
  mkdir -p "$dir"
  (
    export SANYI_DATA_DIR="$dir" DATABASE_URL="$url" SANYI_TEST_SHARD="$shard/$SHARDS"
    [ -n "$test_db" ] && export DATABASE_TEST_NAME="$test_db"
    exec "$VENV/bin/pytest" -q "$@" >"$dir/pytest.log" 2>&1
  ) &
  suite_pids+=($!)
  suite_logs+=("$name|$dir/pytest.log")
}

PG_URL="${SANYI_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_dbs=()
if "$PY" - "$PG_URL" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PYEOF
then
  run_db="sanyi_test_$(date +%Y%m%d%H%M%S)_$$"
  base="${PG_URL%/*}"
  for shard in $(seq 1 "$SHARDS"); do
    log "Test suite on PostgreSQL, half $shard of $SHARDS, started (fresh database test_${run_db}_$shard)"
    start_suite "pg$shard" "$shard" "$base/${run_db}_$shard" "test_${run_db}_$shard" -- --create-db "$@"
    pg_dbs+=("test_${run_db}_$shard")
  done
elif [ "${SANYI_REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is not reachable at $PG_URL and SANYI_REQUIRE_POSTGRES=1: failing."
  status=1
else
  echo "PostgreSQL run SKIPPED: no server reachable at $PG_URL (only SQLite was tested)."
fi
for shard in $(seq 2 "$SHARDS"); do
  log "Test suite on SQLite, half $shard of $SHARDS, started"
  start_suite "sqlite$shard" "$shard" "sqlite:///$SANYI_DATA_DIR/sqlite$shard/test.sqlite3" "" -- "$@"
done
pg_pid="${suite_pids[*]}"  # stopped by the exit trap if this script is interrupted

log "Test suite on SQLite, half 1 of $SHARDS"
mkdir -p "$SANYI_DATA_DIR/sqlite1"
SANYI_DATA_DIR="$SANYI_DATA_DIR/sqlite1" DATABASE_URL="sqlite:///$SANYI_DATA_DIR/sqlite1/test.sqlite3" \
  SANYI_TEST_SHARD="1/$SHARDS" "$VENV/bin/pytest" -q "$@" || { rc=$?; [ "$rc" -eq 5 ] || status=1; }

for i in "${!suite_pids[@]}"; do
  suite_status=0
  wait "${suite_pids[$i]}" || suite_status=$?
  name="${suite_logs[$i]%%|*}"
  log "Test suite: $name (its output)"
  cat "${suite_logs[$i]#*|}"
  # pytest exits 5 when a half holds no test (a narrow -k); that is not a failure.
  [ "$suite_status" -eq 0 ] || [ "$suite_status" -eq 5 ] || status=1
done

if [ ${#pg_dbs[@]} -gt 0 ]; then
  "$PY" - "$PG_URL" "${pg_dbs[@]}" <<'PYEOF' || true
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    for name in sys.argv[2:]:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
PYEOF
  log "Fault test on PostgreSQL (docs/faults.md)"; bash scripts/fault_test.sh || status=1
  log "Read replicas against a streaming replica (scripts/replica_test.sh, docs/adr/0030-read-replicas.md)"
  bash scripts/replica_test.sh || status=1
fi

if [ "$status" -eq 0 ]; then log "All checks passed"; else log "Some checks FAILED"; fi
exit "$status"
