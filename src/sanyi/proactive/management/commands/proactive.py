"""sanyi proactive: run the proactive rules from the command line.

sanyi proactive run [--date YYYY-MM-DD] [--dry-run] [--json]
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanyi.core.actors import SystemActor
from sanyi.proactive.services import proactive_run

ACTOR = SystemActor("系统：命令行")


class Command(BaseCommand):
    help = "主动服务：按已发布的规则向符合条件的居民推送可申请的事项"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="每天一次；同一触发不会重复推送")
        run.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")
        run.add_argument("--dry-run", action="store_true", help="只列出将要推送的，不保存不发送")
        run.add_argument("--json", action="store_true", help="每条推送输出一个 JSON 对象")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError("--date 的格式应为 YYYY-MM-DD") from None
        on = day or timezone.localdate()
        plans = proactive_run(on=on, actor=ACTOR, dry_run=options["dry_run"])
        for plan in plans:
            if options["json"]:
                self.stdout.write(json.dumps(plan.as_json(), ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{plan.rule_code}\t{plan.applicant_masked}\t{plan.item_name}\t{plan.reason}"
                )
        verb = "将推送" if options["dry_run"] else "已推送"
        summary = f"{on:%Y-%m-%d} {verb}{len(plans)}条主动服务"
        if options["json"]:
            summary = json.dumps(
                {
                    "summary": summary,
                    "date": on.isoformat(),
                    "offers": len(plans),
                    "dry_run": options["dry_run"],
                },
                ensure_ascii=False,
            )
        self.stdout.write(summary)
