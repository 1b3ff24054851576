import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sanyi.disclosure_requests.services import (
    requests_close_lapsed,
    requests_recompute_open,
    requests_warn,
)


class Command(BaseCommand):
    help = (
        "政府信息公开申请：check-clocks 处理逾期未补正、未缴费的申请并发出期限预警；"
        "recompute 按当前工作日历重算办理中申请的答复期限"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check-clocks",
            help="处理逾期未补正、逾期未缴费的申请，并发出黄灯、红灯预警（每天运行）",
        )
        check.add_argument("--today", help="按哪一天检查（YYYY-MM-DD，默认今天）")
        recompute = sub.add_parser("recompute", help="按当前工作日历重算办理中申请的答复期限")
        recompute.add_argument("--year", type=int, action="append", help="只重算涉及该年的申请")

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_check_clocks(self, *, today=None, **_):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today 应为 YYYY-MM-DD 格式的日期") from None
        closed = requests_close_lapsed(today=day)
        warned = requests_warn(today=day)
        self.stdout.write(f"已按逾期未补正或未缴费终止{closed}件申请；发出{warned}条期限预警")

    def do_recompute(self, *, year=None, **_):
        moved = requests_recompute_open(years=set(year) if year else None, actor="系统：命令行")
        self.stdout.write(f"已重算，{moved}件申请的答复期限有变化")
