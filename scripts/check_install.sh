#!/usr/bin/env bash
# A plain `pip install .` (no extras, not editable) must give a working product: install
# into a fresh virtualenv in a temporary folder, then migrate, load the demo district and
# count the pages of an uploaded PDF, all on a throw-away SQLite database. Fails when a
# module imported at run time is only in a test extra.
#
#   SANYI_PYTHON  interpreter for the fresh virtualenv (default python3)
#   pip's own cache is used, so a second run downloads nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${SANYI_PYTHON:-python3}"
WORK="$(mktemp -d -t sanyi-install-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
step() { printf '==> %s  (%ss so far)\n' "$*" "$SECONDS"; }

step "Fresh virtualenv in $WORK"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"

# Install from a copy of the working tree (tracked and new files, not ignored ones), so the
# build leaves nothing behind in the checkout and sees no stale egg-info.
mkdir "$WORK/src"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
  | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' \
  | tar --null -T - -cf -) | tar -xf - -C "$WORK/src"

step "pip install . (no extras)"
"$VPY" -m pip install -q --disable-pip-version-check --no-compile "$WORK/src"

step "Every file under src/sanyi is installed"
SITE="$("$VPY" -c 'import pathlib, sanyi; print(pathlib.Path(sanyi.__file__).parent)')"
missing="$(cd "$WORK/src/src/sanyi" && find . -type f ! -name '*.pyc' | sort \
  | while read -r f; do test -e "$SITE/$f" || echo "  ${f#./}"; done)"
if [ -n "$missing" ]; then
  echo "Not installed (add the pattern to [tool.setuptools.package-data] in pyproject.toml):"
  echo "$missing"
  exit 1
fi

export SANYI_ENV=development
export SANYI_DATA_DIR="$WORK/data"
export DATABASE_URL="sqlite:///$WORK/data/install-check.sqlite3"
# Every part of the demo runs; its year of activity at a tenth of the volume is enough to
# show the install works (analytics/tests/test_demo.py loads the full year).
export SANYI_DEMO_YEAR_CASES="${SANYI_DEMO_YEAR_CASES:-2400}"
unset PYTHONPATH DJANGO_SETTINGS_MODULE
mkdir -p "$SANYI_DATA_DIR"
cd "$WORK"  # never import sanyi from the checkout

step "sanyi migrate"
"$WORK/venv/bin/sanyi" migrate --no-input -v 0
step "sanyi demo load"
"$WORK/venv/bin/sanyi" demo load >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log"; exit 1; }
tail -n 3 "$WORK/demo.log"

step "Page count of an uploaded PDF"
"$VPY" - <<'PYEOF'
import io

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")

django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from sanyi.cases.services import check_material_upload

writer = PdfWriter()
for _ in range(3):
    writer.add_blank_page(width=595, height=842)
buffer = io.BytesIO()
writer.write(buffer)
upload = SimpleUploadedFile("材料.pdf", buffer.getvalue(), content_type="application/pdf")
kind, ext, size, pages, sha = check_material_upload(upload)
assert pages == 3, f"expected 3 pages, got {pages}"
print(f"ok: {ext} of {size} bytes, {pages} pages")
PYEOF
step "Install check passed"
