"""List functions and methods in src/sanyi longer than the house limit.

    python scripts/long_functions.py [--limit 60] [--all]

A function is counted from its ``def`` line to its last line (decorators aside). One whose
docstring says "Long because …" is listed as explained; ``--all`` shows those too. Tests,
migrations and the demo/ packages are not checked. Exits 1 when an unexplained one is
found, so it can run as a check.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"
SKIPPED_PARTS = {"tests", "migrations", "demo"}
REASON = "Long because"


def long_functions(limit: int) -> list[tuple[int, str, str, bool]]:
    """(length, location, name, explained) for every function over ``limit`` lines."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIPPED_PARTS & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length <= limit:
                continue
            explained = REASON in (ast.get_docstring(node) or "")
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            found.append((length, where, node.name, explained))
    return sorted(found, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--all", action="store_true", help="also list explained ones")
    args = parser.parse_args()
    found = long_functions(args.limit)
    unexplained = [f for f in found if not f[3]]
    for length, where, name, explained in found:
        if explained and not args.all:
            continue
        mark = "explained" if explained else "TOO LONG"
        print(f"{length:4d}  {mark:9s}  {where}  {name}")
    print(f"{len(unexplained)} unexplained, {len(found) - len(unexplained)} explained")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
