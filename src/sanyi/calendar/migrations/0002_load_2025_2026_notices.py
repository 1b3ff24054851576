"""Load the 2025 and 2026 State Council holiday notices from the files in calendar/data, so
every fresh database computes deadlines on the official calendar from the start.

The files were checked when they were written (calendar/tests/test_data_files.py checks
them against the notices and the chinese-calendar package); this migration reads them as
they are and does not import app code, as migrations must not.
"""

import json
from datetime import date, timedelta
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
YEARS = (2025, 2026)
ACTOR = "系统：数据迁移"


def load(apps, schema_editor):
    CalendarYear = apps.get_model("calendar", "CalendarYear")
    CalendarDay = apps.get_model("calendar", "CalendarDay")
    CalendarChange = apps.get_model("calendar", "CalendarChange")
    for year in YEARS:
        if CalendarYear.objects.filter(year=year).exists():
            continue
        data = json.loads((DATA_DIR / f"{year}.json").read_text(encoding="utf-8"))
        notice = data["notice"]
        CalendarYear.objects.create(
            year=year, notice_title=notice["title"], notice_number=notice["number"],
            published_on=date.fromisoformat(notice["published_on"]),
            source=notice.get("source", ""), notes=notice.get("notes", ""),
            loaded_at=timezone.now(),
        )
        days = []
        for entry in data["holidays"]:
            day, end = date.fromisoformat(entry["start"]), date.fromisoformat(entry["end"])
            while day <= end:
                days.append(CalendarDay(date=day, kind="holiday", name=entry["name"]))
                day += timedelta(days=1)
        for entry in data.get("makeup_workdays", []):
            days.append(CalendarDay(
                date=date.fromisoformat(entry["date"]), kind="makeup_workday", name=entry["name"]
            ))
        CalendarDay.objects.bulk_create(days)
        holidays = sum(d.kind == "holiday" for d in days)
        CalendarChange.objects.create(
            created_at=timezone.now(), actor_label=ACTOR, action="year_load", years=[year],
            dates=sorted(d.date.isoformat() for d in days),
            summary=(
                f"载入{year}年节假日安排（{notice['number']}）：节假日{holidays}天，"
                f"调休上班{len(days) - holidays}天"
            ),
        )


def unload(apps, schema_editor):
    CalendarYear = apps.get_model("calendar", "CalendarYear")
    CalendarDay = apps.get_model("calendar", "CalendarDay")
    CalendarChange = apps.get_model("calendar", "CalendarChange")
    for year in YEARS:
        CalendarDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)).delete()
        CalendarYear.objects.filter(year=year).delete()
        for change in CalendarChange.objects.filter(actor_label=ACTOR, action="year_load"):
            if change.years == [year]:
                change.delete()


class Migration(migrations.Migration):
    dependencies = [("calendar", "0001_calendar_years_days_changes")]

    operations = [migrations.RunPython(load, unload)]
