"""Hostile files against every import: is each refused, with a row message, and is
anything written?

    .venv/bin/python bench/bench_hostile_imports.py

Runs in a throw-away test database (SQLite in memory unless DATABASE_URL says otherwise).
For each import (org tree, catalogue workbook, disclosure directory, publications JSON
Lines) it builds a small world, exports it where the import has an export, and feeds the
import malformed files made from that: decompression bombs, an archive of many parts, a
file that is not a zip, a truncated zip, a formula cell, a formula in the header, a huge
cell; for JSON Lines an over-long field, an over-long line, bad UTF-8, bad JSON.

Prints one line per (import, kind): refused or not, whether the message names a row, the
rows written (every model row and audit row counted before and after), wall time and the
peak of Python allocations. Exit status 1 when anything was accepted or written.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    os.environ.setdefault("SANYI_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    import django

    django.setup()


def db_rows() -> int:
    from django.apps import apps

    return sum(m.objects.count() for m in apps.get_models() if m._meta.managed)


def xlsx_kinds(
    good: bytes, first_sheet: str, text_cell: tuple[int, int], header_cell: tuple[int, int]
):
    """Malformed variants of the export ``good``: kind → bytes."""
    from openpyxl import load_workbook

    from sanyi.core.tests.xlsx_files import bomb, sheet_of_rows

    def edited(row: int, col: int, value) -> bytes:
        wb = load_workbook(io.BytesIO(good))
        wb[first_sheet].cell(row=row, column=col).value = value
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(1500):
            zf.writestr(f"x/{i}.xml", "<a/>")
    wb = load_workbook(io.BytesIO(good))
    names = wb.sheetnames
    rows = [["" if v is None else str(v) for v in r] for r in wb[first_sheet].values]
    rows[text_cell[0] - 1][text_cell[1] - 1] = "长" * 100_000
    return {
        "bomb 180 MB": bomb(uncompressed_mb=180, sheet=first_sheet),
        "bomb 20 MB (ratio)": bomb(uncompressed_mb=20, sheet=first_sheet),
        "1500-part archive": many.getvalue(),
        "not a zip": "名称,地址\n甲,乙\n".encode(),
        "truncated zip": good[: len(good) // 2],
        "formula cell": edited(*text_cell, '=HYPERLINK("http://x","y")'),
        "formula in header": edited(*header_cell, "=A1"),
        "huge cell 100k": sheet_of_rows(
            first_sheet, rows, other_sheets=[n for n in names if n != first_sheet]
        ),
    }


def jsonl_kinds(good_line: str) -> dict[str, bytes]:
    import json

    record = json.loads(good_line)
    good = good_line.encode() + b"\n"

    def line(**changes) -> bytes:
        return json.dumps({**record, **changes}, ensure_ascii=False).encode()

    return {
        "body 300k chars": good + line(source_url="https://e.gov.cn/2", body="正" * 300_000),
        "line 5 MB": good + line(source_url="https://e.gov.cn/2", body="y" * 5_000_000),
        "bad UTF-8": good + b'{"title": "\xff\xfe"}',
        "not JSON": good + b"{not json",
        "title 5,000 chars": line(title="题" * 5000),
        "channel 1,000 chars": line(channel="栏" * 1000),
    }


def run(entry: str, kind: str, call) -> tuple[bool, bool, int]:
    from django.core.exceptions import ValidationError

    from sanyi.core.imports import ImportRejected

    before = db_rows()
    tracemalloc.start()
    start = time.perf_counter()
    refused, message = False, ""
    try:
        call()
    except ImportRejected as exc:
        refused, message = True, "\n".join(str(e) for e in exc.errors)
    except ValidationError as exc:
        refused, message = True, "\n".join(exc.messages)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    written = db_rows() - before
    names_row = re.search(r"第\d+行", message) is not None
    first = message.splitlines()[0][:70] if message else ""
    print(
        f"{entry:<10} {kind:<20} {'refused' if refused else 'ACCEPTED':<8} "
        f"{'row named' if names_row else 'file-level':<10} written={written:<3} "
        f"{elapsed * 1000:7.0f} ms {peak / 1e6:6.1f} MB  {first}"
    )
    return refused, names_row, written


def main() -> int:
    setup_django()
    from django.db import connection, transaction

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results = []
    tmp = Path(tempfile.mkdtemp())
    try:
        from sanyi.catalog import exchange
        from sanyi.catalog.tests import factories as catalog_f
        from sanyi.openness import excel as directory
        from sanyi.openness.importing import publications_import_file
        from sanyi.openness.tests import factories as openness_f
        from sanyi.orgs import excel as org_excel
        from sanyi.orgs import services as org_services
        from sanyi.orgs.models import OrgUnit

        actor = "系统：基准测试"
        with transaction.atomic():
            t = openness_f.setting()
            openness_f.entry(t["district"], l1="最低生活保障", l2="低保政策")
            good = org_excel.export_units(OrgUnit.objects.all())
            address_col = [k for k, _ in org_excel.UNIT_COLUMNS].index("address") + 1
            for kind, data in xlsx_kinds(
                good, org_excel.UNIT_SHEET, (2, address_col), (1, address_col)
            ).items():
                results.append(
                    run(
                        "orgs",
                        kind,
                        lambda d=data: org_services.org_tree_import(actor=actor, file=d),
                    )
                )
            good = directory.export_directory(t["district"])
            keys = [k for k, _g, _s in directory.COLUMNS]
            basis_col, web_col = keys.index("basis") + 1, keys.index("channel:website") + 1
            for kind, data in xlsx_kinds(
                good, directory.SHEET, (3, basis_col), (2, web_col)
            ).items():
                results.append(
                    run(
                        "directory",
                        kind,
                        lambda d=data: directory.import_directory(
                            actor=actor, unit=t["district"], content=d
                        ),
                    )
                )
            from sanyi.openness.tests.test_command_import import _line

            for kind, data in jsonl_kinds(_line()).items():
                path = tmp / "p.jsonl"
                path.write_bytes(data)
                results.append(
                    run(
                        "jsonl",
                        kind,
                        lambda p=path: publications_import_file(path=p, publisher=t["district"]),
                    )
                )
            transaction.set_rollback(True)
        with transaction.atomic():
            units = catalog_f.org()
            catalog_f.item(unit=units["dept"], status="published", name="甲")
            good = exchange.export_xlsx(exchange.catalog_export(viewer=catalog_f.SYSTEM))
            for kind, data in xlsx_kinds(good, "事项", (2, 4), (1, 4)).items():
                path = tmp / "c.xlsx"
                path.write_bytes(data)
                results.append(
                    run(
                        "catalog",
                        kind,
                        lambda p=path: exchange.catalog_import_file(actor=actor, path=p),
                    )
                )
            transaction.set_rollback(True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    refused = sum(r[0] for r in results)
    named = sum(r[1] for r in results)
    written = sum(r[2] for r in results)
    print(
        f"\n{len(results)} malformed imports: {refused} refused, {named} with a row message, "
        f"{written} rows written"
    )
    return 0 if refused == len(results) and written == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
