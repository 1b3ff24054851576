"""``sanyi imports cleanup [--older-than-hours N]``: drop staged uploads nobody came back to."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sanyi.core.imports import STALE_AFTER_HOURS, imports_cleanup_stale


class Command(BaseCommand):
    help = "导入文件暂存区：cleanup 删除长时间无人确认的上传文件"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        clean = sub.add_parser("cleanup", help="删除超过一定时间无人确认或已结束的导入暂存文件")
        clean.add_argument(
            "--older-than-hours",
            type=int,
            default=STALE_AFTER_HOURS,
            help=f"多少小时无变化算作过期（默认{STALE_AFTER_HOURS}）",
        )

    def handle(self, *args: Any, action: str, older_than_hours: int, **options: Any) -> None:
        removed = imports_cleanup_stale(older_than_hours=older_than_hours)
        self.stdout.write(f"已清理{removed}个过期的导入暂存文件")
