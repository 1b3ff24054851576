"""``sanyi cases …``: the scheduled and maintenance work of case handling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

CLI_ACTOR = "系统：命令行"


class Command(BaseCommand):
    help = (
        "办件：warnings 更新预警（黄灯、红灯）并通知、recompute 重新计算在办件的期限、"
        "receipt 导出一件办件的受理回执（PDF）、bundles-report 一件事一次办节省的表单、上传和跑动"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        warn = sub.add_parser(
            "warnings", help="更新在办件的预警灯并通知承办人和督查人员（每个工作日运行）"
        )
        warn.add_argument("--today", help="按哪一天计算（YYYY-MM-DD，默认今天）")
        rec = sub.add_parser(
            "recompute", help="按当前节假日安排重新计算在办件的期限（变动的记入办件记录）"
        )
        rec.add_argument(
            "--year", type=int, action="append", help="只算期限涉及这些年份的办件（可重复）"
        )
        sub.add_parser(
            "bundles-report",
            help="一件事一次办：每件事一次申请与逐项申请相比的表单、上传和跑动次数",
        )
        receipt = sub.add_parser("receipt", help="导出受理回执PDF")
        receipt.add_argument("number", help="办件编号")
        receipt.add_argument("--output", required=True, help="输出的 .pdf 文件")

    def handle(self, *args, action, **options):
        if action == "warnings":
            from sanyi.cases.services import case_update_warnings

            today = None
            if options.get("today"):
                try:
                    today = dt.date.fromisoformat(options["today"])
                except ValueError:
                    raise CommandError("--today 应为 YYYY-MM-DD 格式的日期") from None
            counts = case_update_warnings(today=today)
            self.stdout.write(
                f"黄灯 {counts['yellow']} 件，红灯 {counts['red']} 件，"
                f"本次变化 {counts['changed']} 件"
            )
        elif action == "recompute":
            from sanyi.cases.services import cases_recompute_for_years

            years = options.get("year") or list(range(2000, 2100))
            moved = cases_recompute_for_years(years=years, actor=CLI_ACTOR, note="命令行重新计算")
            self.stdout.write(f"期限有变化的办件：{moved} 件")
        elif action == "bundles-report":
            from sanyi.cases.bundle_selectors import bundle_savings

            self.stdout.write(
                "一件事\t事项数\t表单（逐项/一次）\t上传（逐项/一次）\t跑动（逐项/一次）"
            )
            for row in bundle_savings():
                self.stdout.write(
                    f"{row.name}\t{row.items}\t{row.forms_alone}/{row.forms_bundle}\t"
                    f"{row.uploads_alone}/{row.uploads_bundle}\t"
                    f"{row.visits_alone}/{row.visits_bundle}"
                )
        elif action == "receipt":
            from sanyi.cases.documents import receipt_pdf
            from sanyi.cases.models import Case

            case = Case.objects.filter(number=options["number"].strip()).first()
            if case is None:
                raise CommandError(f"没有办件编号为“{options['number']}”的办件")
            if case.accepted_on is None:
                raise CommandError("该办件尚未受理，没有受理回执")
            out = Path(options["output"])
            out.write_bytes(receipt_pdf(case))
            self.stdout.write(f"已写入 {out}")
