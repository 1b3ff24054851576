#!/usr/bin/env bash
# Regenerate the committed OpenAPI schema, src/sanyi/api/openapi.yaml, from the code.
# Run it after changing any endpoint, then commit the schema with the change.
#
# Usage: scripts/update_openapi.sh [output-file]   (check_openapi.sh passes a temp file)
# The `sanyi` command is taken from $SANYI if set, else from the project's .venv, else
# from PATH. The language is fixed so the schema does not depend on the machine's locale;
# warnings fail the run, so every endpoint stays fully described.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/src/sanyi/api/openapi.yaml}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
if [[ -n "${SANYI:-}" ]]; then
    sanyi="$SANYI"
elif [[ -x "$root/.venv/bin/sanyi" ]]; then
    sanyi="$root/.venv/bin/sanyi"
else
    sanyi="sanyi"
fi

cd "$root"
"$sanyi" spectacular --lang zh-hans --validate --fail-on-warn --file "$out"
if [[ $# -eq 0 ]]; then
    echo "OpenAPI schema written to src/sanyi/api/openapi.yaml"
fi
