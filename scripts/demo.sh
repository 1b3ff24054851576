#!/usr/bin/env bash
# One command for a fresh clone: set up, load the demo district and serve it on
# http://127.0.0.1:8000 (embedded SQLite). Ctrl-C stops the server, the worker and the scheduler.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$SANYI_ROOT"

ensure_system_packages demo
ensure_venv

export SANYI_DEMO=true
export SANYI_DATA_DIR="${SANYI_DATA_DIR:-$SANYI_ROOT/var/demo}"
export SANYI_ENV=development
SANYI="$VENV/bin/sanyi"

log "Preparing the database in $SANYI_DATA_DIR"
"$SANYI" migrate --no-input -v 0
"$SANYI" collectstatic --no-input -v 0
log "Loading the demo district (示范区)"
"$SANYI" demo load

log "Starting the background worker"
"$SANYI" db_worker >"$SANYI_DATA_DIR/worker.log" 2>&1 &
WORKER=$!
log "Starting the scheduler (notifications every minute, daily checks; see docs/deploy.md)"
"$SANYI" scheduler run >"$SANYI_DATA_DIR/scheduler.log" 2>&1 &
SCHEDULER=$!
trap 'kill $WORKER $SCHEDULER 2>/dev/null || true' EXIT

log "Serving on http://127.0.0.1:8000  (Ctrl-C to stop)"
"$VENV/bin/gunicorn" sanyi.wsgi:application --bind 127.0.0.1:8000 --workers 2 \
  --access-logfile - --error-logfile -
