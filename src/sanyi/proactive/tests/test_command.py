"""sanyi proactive run."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from sanyi.proactive.models import ProactiveOffer
from sanyi.proactive.tests.factories import born, rule

pytestmark = pytest.mark.django_db


def _run(*args) -> list[str]:
    out = StringIO()
    call_command("proactive", "run", "--date", "2026-06-15", *args, stdout=out)
    return out.getvalue().splitlines()


def test_json_output_parses_and_masks_the_applicant(pw):
    rule(pw)
    resident = born(dt.date(1946, 5, 1), name="张三丰")
    lines = [json.loads(line) for line in _run("--json", "--dry-run")]
    offer, summary = lines
    assert offer["rule"] == "elderly-80" and offer["item"] == pw["item"].base_item.name
    assert resident.id_number not in offer["applicant"] and "张三丰" not in offer["applicant"]
    assert offer["applicant"].startswith("张**")
    assert summary["offers"] == 1 and summary["dry_run"] is True


def test_text_output_has_one_line_per_offer_and_a_summary(pw):
    rule(pw)
    born(dt.date(1946, 5, 1))
    lines = _run()
    assert len(lines) == 2 and lines[0].startswith("elderly-80\t")
    assert lines[1] == "2026-06-15 已推送1条主动服务"
    assert ProactiveOffer.objects.count() == 1
