#!/usr/bin/env bash
# CI check: the committed OpenAPI schema equals the one generated from the code.
# Usage: scripts/check_openapi.sh [committed-schema]  (default src/sanyi/api/openapi.yaml)
# Exits 0 when they are equal; otherwise prints the difference and exits 1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
committed="${1:-$root/src/sanyi/api/openapi.yaml}"
generated="$(mktemp "${TMPDIR:-/tmp}/openapi.XXXXXX.yaml")"
trap 'rm -f "$generated"' EXIT

"$root/scripts/update_openapi.sh" "$generated"

if [[ ! -f "$committed" ]]; then
    echo "OpenAPI schema is missing: $committed. Run scripts/update_openapi.sh" >&2
    exit 1
fi
if ! diff -u "$committed" "$generated"; then
    echo "OpenAPI schema is out of date: run scripts/update_openapi.sh" >&2
    exit 1
fi
echo "OpenAPI schema is up to date."
