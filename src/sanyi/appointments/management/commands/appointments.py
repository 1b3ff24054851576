"""``sanyi appointments``: publish slots and run the daily jobs by hand.

sanyi appointments slots [--from YYYY-MM-DD] [--weeks 2]
sanyi appointments no-shows
sanyi appointments remind
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanyi.appointments.services import (
    WEEKS_AHEAD,
    bookings_mark_no_show,
    bookings_remind,
    slots_generate,
)
from sanyi.core.actors import SystemActor

ACTOR = SystemActor("系统：命令行")


class Command(BaseCommand):
    help = "预约：发布时段、记录未到、发送提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        slots = sub.add_parser("slots", help="发布今后几周的预约时段（已有的不变）")
        slots.add_argument("--from", dest="start", default="", help="起始日期，默认今天")
        slots.add_argument("--weeks", type=int, default=WEEKS_AHEAD, help="周数，默认2")
        sub.add_parser("no-shows", help="把时段结束仍未签到的预约记为未到")
        sub.add_parser("remind", help="给明天有预约的申请人发提醒")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "slots":
            start = None
            if options["start"]:
                try:
                    start = dt.date.fromisoformat(options["start"])
                except ValueError:
                    raise CommandError(
                        f"起始日期“{options['start']}”不是有效日期，请写成YYYY-MM-DD"
                    ) from None
            if not 1 <= options["weeks"] <= 8:
                raise CommandError("周数须在1到8之间")
            added = slots_generate(actor=ACTOR, today=start, weeks=options["weeks"])
            self.stdout.write(f"新增预约时段{added}个")
        elif action == "no-shows":
            self.stdout.write(f"记为未到的预约{bookings_mark_no_show(actor=ACTOR)}个")
        else:
            self.stdout.write(f"发出预约提醒{bookings_remind()}条")
