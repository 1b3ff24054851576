"""The demo year loads whole or not at all."""

import random

import pytest

from sanyi.analytics import demo
from sanyi.analytics.demo import feedback
from sanyi.analytics.models import DailyFact
from sanyi.applicants.models import Applicant
from sanyi.cases.models import Case
from sanyi.core.demo import DEMO_ACTOR, parts
from sanyi.ratings.models import Rating

pytestmark = pytest.mark.django_db


def test_a_failure_late_in_the_part_leaves_nothing_of_it(monkeypatch):
    rng = random.Random(2026)
    for part in parts():
        if part.name in ("orgs", "applicants", "catalog"):
            part.run(actor=DEMO_ACTOR, rng=rng)
    before = (Case.objects.count(), Applicant.objects.count(), Rating.objects.count())

    def broken(*args, **kwargs):
        raise RuntimeError("搜索记录写入失败")

    monkeypatch.setattr(feedback, "search_logs", broken)
    with pytest.raises(RuntimeError):
        demo.load(actor=DEMO_ACTOR, rng=rng)

    assert (Case.objects.count(), Applicant.objects.count(), Rating.objects.count()) == before
    assert not DailyFact.objects.exists()
    assert not demo.is_loaded()
