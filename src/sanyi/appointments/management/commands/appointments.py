"""``sanyi appointments``: set up a schedule, publish slots and run the daily jobs by hand.

sanyi appointments schedule --center ID --name 综合窗口 --hours 09:00-11:30
    [--slot 30] [--capacity 3]
sanyi appointments slots [--from YYYY-MM-DD] [--weeks 2]
sanyi appointments no-shows
sanyi appointments remind
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanyi.appointments.services import (
    WEEKS_AHEAD,
    bookings_mark_no_show,
    bookings_remind,
    schedule_create,
    schedule_set_active,
    slots_generate,
)
from sanyi.core.actors import SystemActor
from sanyi.orgs.models import ServiceCenter

ACTOR = SystemActor("系统：命令行")


class Command(BaseCommand):
    help = "预约：发布时段、记录未到、发送提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        schedule = sub.add_parser("schedule", help="为服务中心的一个窗口组设置预约时间")
        schedule.add_argument("--center", type=int, required=True, help="服务中心id")
        schedule.add_argument("--name", required=True, help="窗口组名称，例如 综合窗口")
        schedule.add_argument("--hours", required=True, help="预约时间，例如 09:00-11:30")
        schedule.add_argument("--slot", type=int, default=30, help="每段分钟数，默认30")
        schedule.add_argument("--capacity", type=int, default=4, help="每段可约人数，默认4")
        pause = sub.add_parser("pause", help="暂停一个预约时间表（已有预约不变）")
        pause.add_argument("--schedule", type=int, required=True, help="时间表id")
        pause.add_argument("--resume", action="store_true", help="恢复，而不是暂停")
        slots = sub.add_parser("slots", help="发布今后几周的预约时段（已有的不变）")
        slots.add_argument("--from", dest="start", default="", help="起始日期，默认今天")
        slots.add_argument("--weeks", type=int, default=WEEKS_AHEAD, help="周数，默认2")
        sub.add_parser("no-shows", help="把时段结束仍未签到的预约记为未到")
        sub.add_parser("remind", help="给明天有预约的申请人发提醒")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "schedule":
            self._schedule(**options)
        elif action == "slots":
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
        elif action == "pause":
            try:
                schedule = schedule_set_active(
                    actor=ACTOR, schedule_id=options["schedule"], active=options["resume"]
                )
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from None
            self.stdout.write(f"已{'恢复' if options['resume'] else '暂停'}{schedule}")
        elif action == "no-shows":
            self.stdout.write(f"记为未到的预约{bookings_mark_no_show(actor=ACTOR)}个")
        else:
            self.stdout.write(f"发出预约提醒{bookings_remind()}条")

    def _schedule(self, **options: Any) -> None:
        center = ServiceCenter.objects.filter(pk=options["center"], is_active=True).first()
        if center is None:
            raise CommandError(f"没有id为{options['center']}的有效服务中心")
        try:
            opens_text, closes_text = options["hours"].split("-")
            opens, closes = dt.time.fromisoformat(opens_text), dt.time.fromisoformat(closes_text)
        except ValueError:
            raise CommandError(
                f"预约时间“{options['hours']}”格式不对，请写成 09:00-11:30"
            ) from None
        try:
            schedule = schedule_create(
                actor=ACTOR,
                center=center,
                name=options["name"],
                opens=opens,
                closes=closes,
                slot_minutes=options["slot"],
                capacity=options["capacity"],
                windows=center.windows.filter(is_active=True),
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已设置{schedule}，请运行 sanyi appointments slots 发布时段")
