"""sanyi analytics: recompute the daily facts from the command line.

sanyi analytics rebuild --from YYYY-MM-DD [--to YYYY-MM-DD]
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanyi.analytics import services

ACTOR = "系统：命令行"


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option} 的日期格式应为 YYYY-MM-DD，例如 2026-03-01：{value}"
        ) from None


class Command(BaseCommand):
    help = "数据分析：按日重算统计（日统计）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="重算一段日期的日统计（可重复运行，结果相同）")
        rebuild.add_argument("--from", dest="start", required=True, help="开始日期 YYYY-MM-DD")
        rebuild.add_argument("--to", dest="end", help="结束日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        start = _date(options["start"], "--from")
        end = _date(options.get("end"), "--to") or timezone.localdate()
        assert start is not None
        if end < start:
            raise CommandError(f"--to（{end}）不能早于 --from（{start}）")
        result = services.rollup_rebuild(start=start, end=end, actor=ACTOR)
        self.stdout.write(
            f"已重算{start}至{end}共{result.days}天的日统计，"
            f"写入{result.rows}行，用时{result.seconds:.1f}秒"
        )
