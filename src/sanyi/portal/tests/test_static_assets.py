"""The shared front-end assets: vendored htmx matches package.json, and no shell template
carries something the Content Security Policy would block."""

import json
import re
from pathlib import Path

import sanyi

PACKAGE_DIR = Path(sanyi.__file__).parent
REPO_ROOT = PACKAGE_DIR.parent.parent
HTMX_DIR = PACKAGE_DIR / "static" / "vendor" / "htmx"
SHELL_TEMPLATE_DIRS = [
    PACKAGE_DIR / "templates",
    PACKAGE_DIR / "portal" / "templates",
    PACKAGE_DIR / "workbench" / "templates",
]


def test_vendored_htmx_is_the_pinned_2x_release():
    pinned = json.loads((REPO_ROOT / "package.json").read_text())["dependencies"]["htmx.org"]
    vendored = (HTMX_DIR / "VERSION").read_text().split()[1]

    assert re.fullmatch(r"2\.\d+\.\d+", pinned)
    assert vendored == pinned
    assert f'version:"{pinned}"' in (HTMX_DIR / "htmx.min.js").read_text()
    assert "Zero-Clause BSD" in (HTMX_DIR / "LICENSE").read_text()


def test_shell_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for folder in SHELL_TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text()
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
                offenders.append(f"{path.name}: inline <script>")
            if re.search(r"<style\b|\sstyle=", text):
                offenders.append(f"{path.name}: inline style")
            if re.search(r"\son[a-z]+\s*=", text):
                offenders.append(f"{path.name}: inline event handler")
            if re.search(r"(src|href)=\"(https?:)?//", text):
                offenders.append(f"{path.name}: asset from another origin")

    assert offenders == []
