#!/usr/bin/env bash
# Schema fuzzing of the API with schemathesis: requests generated from the committed
# OpenAPI schema (src/sanyi/api/openapi.yaml) against a real server (gunicorn, SQLite,
# the demo district), anonymously and with a staff token. Fails on any server error (5xx)
# or any response that does not match the schema (status, media type, body, headers).
#
#   scripts/fuzz_api.sh          bounded run for CI (fixed seed, a few minutes on 2 cores)
#   scripts/fuzz_api.sh --long   long run (>= 10,000 requests, random seed); figures in docs/api.md
#
#   SANYI_FUZZ_EXAMPLES  examples per operation and phase (default 5; --long 40)
#   SANYI_FUZZ_SEED      seed (default 2026; --long: random, printed)
#   SANYI_VENV           virtualenv to use (default .venv)
# Reports (NDJSON events, JUnit) stay in $SANYI_FUZZ_REPORTS when set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SANYI_VENV:-$root/.venv}"
PY="$VENV/bin/python"
ST="$VENV/bin/st"
GUNICORN="$VENV/bin/gunicorn"

long=0
[ "${1:-}" = "--long" ] && long=1
if [ "$long" = 1 ]; then
  examples="${SANYI_FUZZ_EXAMPLES:-40}"
  seed="${SANYI_FUZZ_SEED:-$RANDOM$RANDOM}"
  phases="examples,coverage,fuzzing"
  demo_parts=""  # the whole demo district, cases and requests included
else
  examples="${SANYI_FUZZ_EXAMPLES:-5}"
  seed="${SANYI_FUZZ_SEED:-2026}"
  phases="examples,fuzzing"
  # Cases and disclosure requests take minutes to build; their endpoints still get
  # fuzzed (lists, 404s, validation), the long run covers them with data.
  demo_parts="orgs,applicants,catalog,openness,annual_reports,ratings"
fi

work="$(mktemp -d -t sanyi-fuzz-XXXXXX)"
reports="${SANYI_FUZZ_REPORTS:-$work/reports}"
mkdir -p "$reports"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export PYTHONPATH="$root/src${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE=sanyi.api.fuzz.settings
export SANYI_DATA_DIR="$work"
export DATABASE_URL="sqlite:///$work/fuzz.sqlite3"

echo "==> Fuzzing database: migrate, demo district, a staff account with a token"
"$PY" -m sanyi migrate -v0
token="$("$PY" -m sanyi.api.fuzz.fixture ${demo_parts:+--parts "$demo_parts"} 2>"$work/fixture.log" | tail -1)"

port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# One worker: SQLite serialises writes, and the point is correctness, not throughput.
# No request-line limit: gunicorn's own 414 (plain text, before Django) is the front
# server's answer, not the API's; the fuzzer's long query strings must reach the API.
"$GUNICORN" sanyi.wsgi -b "127.0.0.1:$port" -w 1 --threads 1 --timeout 120 \
  --limit-request-line 0 --limit-request-field_size 0 \
  --access-logfile /dev/null >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/api/v1/calendar/days/?year=2026', timeout=2)" \
    2>/dev/null && break
  sleep 0.5
done

status=0
checks="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance"
run() {  # run NAME [extra st options...]
  local name="$1"; shift
  echo "==> Fuzzing as $name (seed $seed, $examples examples per operation, phases $phases)"
  # From the work folder: schemathesis keeps its example cache in ./.schemathesis.
  (cd "$work" && "$ST" run "$root/src/sanyi/api/openapi.yaml" --url "http://127.0.0.1:$port" \
    --checks "$checks" --phases "$phases" -n "$examples" --seed "$seed" \
    --continue-on-failure --no-color --warnings off --suppress-health-check all \
    --request-timeout 60 \
    --report ndjson,junit --report-ndjson-path "$reports/$name.ndjson" \
    --report-junit-path "$reports/$name.xml" "$@") || status=1
  "$PY" -m sanyi.api.fuzz.summary "$reports/$name.ndjson" "$name" | tee -a "$reports/summary.txt"
}
run anonymous
# The staff run keeps its token: it never revokes it (DELETE /auth/token/) and never
# swaps the Authorization header for generated values.
run staff -H "Authorization: Token $token" --exclude-operation-id auth_token_destroy \
  --generation-with-security-parameters false

if grep -q "Traceback" "$work/server.log"; then
  echo "Server log has tracebacks:"; grep -A30 "Traceback" "$work/server.log" | head -80
  status=1
fi
exit "$status"
