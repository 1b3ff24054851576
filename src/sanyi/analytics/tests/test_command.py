"""sanyi analytics rebuild."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanyi.analytics.models import DailyFact
from sanyi.analytics.tests.factories import bulk_cases


def test_rebuild_writes_the_days_and_says_how_many(fw):
    import datetime as dt

    bulk_cases(fw, [{"unit": fw["comm1"], "received": dt.date(2026, 3, 10)}])
    out = io.StringIO()

    call_command("analytics", "rebuild", "--from", "2026-03-09", "--to", "2026-03-11", stdout=out)

    assert "共3天" in out.getvalue() and "写入1行" in out.getvalue()
    assert DailyFact.objects.get().received == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-3-1x"], "--from 的日期格式应为 YYYY-MM-DD"),
        (["--from", "2026-03-10", "--to", "2026-02-30"], "--to 的日期格式应为 YYYY-MM-DD"),
        (["--from", "2026-03-10", "--to", "2026-03-01"], "不能早于"),
    ],
)
def test_rebuild_rejects_bad_dates_in_chinese(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("analytics", "rebuild", *args)
    assert not DailyFact.objects.exists()
