"""``sanyi openness annual-report``: the annual report as a file, from the command line.

The subcommand lives in the ``openness`` command group; AnnualReportsConfig.ready()
registers it there (``sanyi.core.registry.register_subcommand``), so openness does not
import this app.
"""

from __future__ import annotations

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from sanyi.annual_reports.choices import ReportScope
from sanyi.annual_reports.formats import FORMATS
from sanyi.annual_reports.selectors import (
    adhoc_document,
    latest_report,
    report_document,
)


def add_subparser(sub) -> None:
    parser = sub.add_parser(
        "annual-report",
        help="输出政府信息公开工作年度报告（json、html、xlsx、pdf）",
        description=(
            "输出某单位某年度的政府信息公开工作年度报告。已有报告时用它的正文和手工数字"
            "（已发布的用发布时的数字），否则按现有数据统计。"
        ),
    )
    parser.add_argument("--org", required=True, help="单位编号、区划代码或名称")
    parser.add_argument("--year", type=int, required=True, help="年度，如 2026")
    parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="json")
    parser.add_argument("--output", help="写入的文件；不填则输出到屏幕（xlsx、pdf 须指定文件）")
    parser.add_argument(
        "--standalone",
        action="store_true",
        help="只统计本单位，不汇总下级单位（默认汇总本单位及下级单位）",
    )


def run(command, *, org: str, year: int, fmt: str, output=None, standalone=False, **_) -> None:
    from sanyi.openness.management.commands.openness import find_unit

    unit = find_unit(org)
    scope = ReportScope.UNIT_ONLY if standalone else ReportScope.SUBTREE
    report = latest_report(unit=unit, year=year)
    try:
        if report is not None and report.scope == scope:
            doc = report_document(report)
        else:
            doc = adhoc_document(unit=unit, year=year, scope=scope)
    except ValidationError as exc:
        raise CommandError("；".join(exc.messages)) from exc
    content = FORMATS[fmt].render(doc)
    if output:
        with open(output, "wb") as fh:
            fh.write(content)
        command.stdout.write(f"已写入{output}")
    elif fmt in ("json", "html"):
        sys.stdout.flush()
        command.stdout.write(content.decode())
    else:
        raise CommandError(f"{fmt} 是二进制文件，请用 --output 指定文件名")
    for failure in doc.failures:
        command.stderr.write(f"检查未通过：{failure.message}")
