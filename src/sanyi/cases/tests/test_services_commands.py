"""The `sanyi cases` command and the annual-report figure."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanyi.cases.reports import licensing_decisions
from sanyi.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def test_warnings_command_reports_counts(w):
    f.case(w, state="in_progress", on=dt.date(2026, 9, 22))  # long overdue by now
    out = io.StringIO()
    call_command("cases", "warnings", stdout=out)
    assert "红灯 1 件" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("cases", "warnings", "--today", "nope")


def test_receipt_command_writes_a_pdf(w, tmp_path):
    case = f.case(w, state="in_progress")
    target = tmp_path / "r.pdf"
    call_command("cases", "receipt", case.number, "--output", str(target), stdout=io.StringIO())
    assert target.read_bytes().startswith(b"%PDF-")
    with pytest.raises(CommandError):
        call_command("cases", "receipt", "nope", "--output", str(target))


def test_licensing_figure_counts_decisions_of_licence_items(w):
    year = dt.date.today().year
    assert licensing_decisions([w["dept"]], year) is None  # no case data yet
    f.case(w, state="delivered")
    f.case(w, state="in_progress")  # not decided yet
    assert licensing_decisions([w["dept"]], year) == 1
    assert licensing_decisions([w["dept2"]], year) is None
    from sanyi.annual_reports.figures import provided_figure

    assert provided_figure("licensing", [w["dept"]], year) == 1
