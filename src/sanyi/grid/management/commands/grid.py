"""sanyi grid: the address mapping and the visit reminders from the command line.

sanyi grid export FILE.xlsx
sanyi grid import FILE.xlsx [--dry-run]
sanyi grid remind [--today YYYY-MM-DD]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanyi.core.imports import ImportRejected
from sanyi.grid import services

ACTOR = "系统：命令行"


class Command(BaseCommand):
    help = "网格地址规则的导入和导出；向网格员发送待走访提醒"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export")
        export.add_argument("file")
        imp = sub.add_parser("import")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true")
        remind = sub.add_parser("remind", help="每天一次：提醒网格员7天内到期和已超期的住户")
        remind.add_argument("--today", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        if options["action"] == "remind":
            self._remind(options.get("today"))
            return
        path = Path(options["file"])
        if options["action"] == "export":
            path.write_bytes(services.rules_export(actor=ACTOR))
            self.stdout.write(f"已导出到{path}")
            return
        try:
            result = services.rules_import(
                data=path.read_bytes(), actor=ACTOR, dry_run=options["dry_run"]
            )
        except ImportRejected as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from None
        verb = "检查通过" if options["dry_run"] else "已导入"
        self.stdout.write(
            f"{verb}：{result.rules}条规则，{result.grids}个网格，{result.placed}位申请人"
        )

    def _remind(self, today: str | None) -> None:
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today 的格式应为 YYYY-MM-DD") from None
        sent = services.visit_reminders_send(actor=ACTOR, today=day)
        self.stdout.write(f"已向{sent}名网格员发送待走访提醒（同一天重复运行不会重复发送）")
