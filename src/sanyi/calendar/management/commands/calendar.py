"""``sanyi calendar``: working-day arithmetic and the holiday notices from the command line."""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanyi.calendar.models import DayKind
from sanyi.calendar.notice import Notice, notice_as_data, read_notice_file, weekday_label
from sanyi.calendar.selectors import (
    calendar_day_list,
    calendar_year_get,
    current_calendar,
)
from sanyi.calendar.services import calendar_year_load
from sanyi.calendar.workdays import WorkCalendar
from sanyi.core.actors import Actor

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: str, what: str) -> date:
    value = value.strip()
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{what}“{value}”不是有效日期，请写成YYYY-MM-DD，例如2026-09-21"
        ) from None


def parse_stop(value: str) -> tuple[date, date]:
    parts = value.split(":")
    if len(parts) != 2:
        raise CommandError(
            f"计时暂停“{value}”格式不对，请写成 暂停日期:恢复日期，例如2026-09-22:2026-09-30"
        )
    stopped_on = parse_date(parts[0], "计时暂停的暂停日期")
    restarted_on = parse_date(parts[1], "计时暂停的恢复日期")
    if restarted_on < stopped_on:
        raise CommandError(f"计时暂停“{value}”的恢复日期早于暂停日期")
    return stopped_on, restarted_on


def provisional_note(cal: WorkCalendar, first: date, last: date) -> str:
    missing = [y for y in range(first.year, last.year + 1) if y not in cal.loaded_years]
    years = "、".join(f"{y}年" for y in missing)
    return f"（暂定：{years}节假日安排未载入，按周一至周五计算）"


class Command(BaseCommand):
    help = (
        "工作日历：add-workdays 推算期限，is-workday 判断是否工作日，between 计算相隔工作日数，"
        "load 载入年度节假日安排，show 查看某年安排。起算日当天不计入，第1个工作日是它之后的"
        "第一个工作日。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        add = sub.add_parser("add-workdays", help="从起算日起推算第N个工作日（起算日当天不计）")
        add.add_argument("start", help="起算日期，YYYY-MM-DD")
        add.add_argument("n", help="工作日数，不小于0")
        add.add_argument(
            "--stop",
            action="append",
            default=[],
            metavar="暂停日期:恢复日期",
            help="计时暂停：暂停日当天仍计入，之后直到恢复日（含）不计；可重复",
        )
        add.add_argument(
            "--roll",
            action="store_true",
            help="起算日不是工作日时，视为在其后第一个工作日起算",
        )

        day = sub.add_parser("is-workday", help="判断某日是否工作日，并说明原因")
        day.add_argument("day", metavar="DATE", help="日期，YYYY-MM-DD")

        between = sub.add_parser("between", help="计算 (A, B] 之间的工作日数（A当天不计，B当天计）")
        between.add_argument("a", help="开始日期，YYYY-MM-DD")
        between.add_argument("b", help="结束日期，YYYY-MM-DD")
        between.add_argument("--stop", action="append", default=[], metavar="暂停日期:恢复日期")

        load = sub.add_parser(
            "load", help="载入一年的节假日安排文件（JSON，格式见docs/calendar.md）"
        )
        load.add_argument("file", help="文件路径")
        load.add_argument(
            "--actor", default="", help="以哪个工作人员账号的名义载入（默认记为命令行操作）"
        )

        show = sub.add_parser("show", help="查看某年的节假日和调休上班日")
        show.add_argument("year", help="年份，例如2026")
        show.add_argument(
            "--json", action="store_true", dest="as_json", help="按载入文件的格式输出"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        handlers: dict[str, Callable[..., None]] = {
            "add-workdays": self.add_workdays,
            "is-workday": self.is_workday,
            "between": self.between,
            "load": self.load,
            "show": self.show,
        }
        handlers[action](**options)

    def add_workdays(self, *, start: str, n: str, stop: list[str], roll: bool, **_: Any) -> None:
        first = parse_date(start, "起算日期")
        if not re.fullmatch(r"[0-9]+", n.strip()):
            raise CommandError(f"工作日数“{n}”应为不小于0的整数")
        stops = [parse_stop(s) for s in stop]
        cal = current_calendar()
        try:
            due = cal.add_workdays(first, int(n), stops=stops, roll_nonworking_start=roll)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(due.date.isoformat())
        if due.provisional:
            self.stdout.write(provisional_note(cal, first, due.date))

    def is_workday(self, *, day: str, **_: Any) -> None:
        on = parse_date(day, "日期")
        cal = current_calendar()
        holiday, makeup = cal.holiday_name(on), cal.makeup_workday_name(on)
        if makeup is not None:
            answer = f"是（调休上班：{makeup}）"
        elif holiday is not None:
            answer = f"否（节假日：{holiday}）"
        elif on.weekday() >= 5:
            answer = f"否（周末，{weekday_label(on)}）"
        else:
            answer = f"是（工作日，{weekday_label(on)}）"
        self.stdout.write(answer)
        if cal.is_provisional(on):
            self.stdout.write(provisional_note(cal, on, on))

    def between(self, *, a: str, b: str, stop: list[str], **_: Any) -> None:
        first, last = parse_date(a, "开始日期"), parse_date(b, "结束日期")
        stops = [parse_stop(s) for s in stop]
        cal = current_calendar()
        count = cal.workdays_between(first, last, stops=stops)
        self.stdout.write(str(count.days))
        if count.provisional:
            self.stdout.write(provisional_note(cal, min(first, last), max(first, last)))

    def load(self, *, file: str, actor: str | None, **_: Any) -> None:
        who: Actor = f"命令行：{getpass.getuser()}"
        if actor:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=actor, is_active=True).first()
            if user is None:
                raise CommandError(f"找不到有效的工作人员账号“{actor}”")
            who = user
        try:
            notice = read_notice_file(file)
            row = calendar_year_load(actor=who, data=notice)
        except ValidationError as exc:
            raise CommandError(
                "未载入，文件有以下问题：\n" + "\n".join(f"  - {m}" for m in exc.messages)
            ) from None
        self.stdout.write(
            f"已载入{row.year}年节假日安排（{row.notice_number}）：节假日{len(notice.holidays)}天，"
            f"调休上班{len(notice.makeup_workdays)}天"
        )

    def show(self, *, year: str, as_json: bool, **_: Any) -> None:
        if not re.fullmatch(r"[0-9]{4}", year.strip()):
            raise CommandError(f"年份“{year}”应为四位数字，例如2026")
        number = int(year)
        row = calendar_year_get(number)
        if row is None:
            raise CommandError(f"{number}年的节假日安排尚未载入：该年日期按周一至周五暂定计算")
        days = list(calendar_day_list(year=number))
        notice = Notice(
            year=row.year,
            title=row.notice_title,
            number=row.notice_number,
            published_on=row.published_on,
            source=row.source,
            notes=row.notes,
            holidays={d.date: d.name for d in days if d.kind == DayKind.HOLIDAY},
            makeup_workdays={d.date: d.name for d in days if d.kind == DayKind.MAKEUP_WORKDAY},
        )
        data = notice_as_data(notice)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{row.year}年节假日安排")
        self.stdout.write(
            f"依据：{row.notice_title}（{row.notice_number}，{row.published_on}发布）"
        )
        self.stdout.write("放假：")
        for h in data["holidays"]:
            start, end = date.fromisoformat(h["start"]), date.fromisoformat(h["end"])
            span = f"{start}" if start == end else f"{start}至{end}"
            self.stdout.write(f"  {h['name']}：{span}，共{(end - start).days + 1}天")
        self.stdout.write("调休上班：")
        if not data["makeup_workdays"]:
            self.stdout.write("  无")
        for m in data["makeup_workdays"]:
            d = date.fromisoformat(m["date"])
            self.stdout.write(f"  {d}（{weekday_label(d)}）上班，{m['name']}调休")
