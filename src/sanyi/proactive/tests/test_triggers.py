"""Each trigger fires for the right resident and not for others."""

import datetime as dt

import pytest
from django.utils import timezone

from sanyi.cases.models import Case
from sanyi.cases.tests import factories as case_f
from sanyi.licences.tests import factories as licence_f
from sanyi.proactive.choices import TriggerKind
from sanyi.proactive.services import proactive_run
from sanyi.proactive.tests.factories import born, rule

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 15)


def _offered(on=ON) -> set[int]:
    return {plan.applicant_id for plan in proactive_run(on=on, actor="测试", dry_run=True)}


def test_age_fires_for_a_birthday_this_year_on_or_before_the_day(pw):
    rule(pw)
    turned = born(dt.date(1946, 6, 15))
    earlier = born(dt.date(1946, 1, 2))
    later_this_year = born(dt.date(1946, 6, 16))
    a_year_younger = born(dt.date(1947, 1, 1))
    a_year_older = born(dt.date(1945, 3, 1))
    offered = _offered()
    assert {turned.pk, earlier.pk} <= offered
    assert not {later_this_year.pk, a_year_younger.pk, a_year_older.pk} & offered


def test_age_offer_says_why_in_plain_chinese(pw):
    rule(pw)
    born(dt.date(1946, 6, 1))
    [plan] = proactive_run(on=ON, actor="测试", dry_run=True)
    assert plan.reason == f"您今年满80周岁，可以申请{pw['item'].base_item.name}"


def test_licence_expiring_fires_at_90_and_30_days_only(pw):
    rule(
        pw,
        code="renew",
        trigger_kind=TriggerKind.LICENCE_EXPIRING,
        trigger_params={"days": [90, 30], "licence": "食品经营许可证"},
        reason="您的{licence}还有{days}天到期，请及时办理延续",
    )
    w = licence_f.world()
    soon = licence_f.licence(w, valid_until=ON + dt.timedelta(days=60))
    very_soon = licence_f.licence(w, valid_until=ON + dt.timedelta(days=20))
    licence_f.licence(w, valid_until=ON + dt.timedelta(days=120))
    licence_f.licence(w, name="其他许可证", valid_until=ON + dt.timedelta(days=20))
    plans = proactive_run(on=ON, actor="测试", dry_run=True)
    assert sorted(p.trigger_key for p in plans) == sorted(
        [f"licence:{soon.pk}:90", f"licence:{very_soon.pk}:30"]
    )
    assert "还有60天到期" in next(p.reason for p in plans if p.trigger_key.endswith(":90"))


def test_case_concluded_of_item_fires_for_its_applicant(pw):
    today = timezone.localdate()
    rule(
        pw,
        code="after-item",
        trigger_kind=TriggerKind.CASE_CONCLUDED_OF_ITEM,
        trigger_params={"item_code": pw["item"].implementation_code},
        item=pw["community_item"],
        reason="您已办理{trigger_item}，还可以申请{item}",
    )
    done = case_f.case(pw, state="concluded")
    running = case_f.case(pw, state="in_progress")
    other_item = case_f.case(pw, state="concluded")
    Case.objects.filter(pk=other_item.pk).update(implementation_item=pw["community_item"])
    offered = _offered(today)
    assert done.applicant_id in offered
    assert not {running.applicant_id, other_item.applicant_id} & offered


def test_life_event_member_concluded_fires_once_per_bundle(pw):
    from sanyi.cases.bundle_models import Bundle, BundleMember
    from sanyi.catalog.life_event_models import LifeEvent

    today = timezone.localdate()
    event = LifeEvent.objects.create(name="测试一件事")
    rule(
        pw,
        code="life",
        trigger_kind=TriggerKind.LIFE_EVENT_MEMBER_CONCLUDED,
        trigger_params={"life_event": "测试一件事"},
        item=pw["community_item"],
        reason="您的{trigger_item}已办结，一件事里还可以申请{item}",
    )
    done, running = case_f.case(pw, state="concluded"), case_f.case(pw, state="in_progress")
    for n, c in enumerate((done, running)):
        bundle = Bundle.objects.create(number=f"YJS{n}", applicant=c.applicant, life_event=event)
        BundleMember.objects.create(bundle=bundle, case=c, position=1)
    plans = proactive_run(on=today, actor="测试", dry_run=True)
    assert [p.applicant_id for p in plans] == [done.applicant_id]


def test_grid_event_about_a_resident_fires_for_that_resident(pw):
    from sanyi.grid.models import EventReport
    from sanyi.grid.tests import factories as grid_f

    today = timezone.localdate()
    rule(
        pw,
        code="grid",
        trigger_kind=TriggerKind.GRID_EVENT_ABOUT_RESIDENT,
        trigger_params={},
        reason="网格员反映了您的情况，您可以申请{item}",
    )
    gw = grid_f.grid_world()
    about = grid_f.event_report(gw)
    nobody = grid_f.event_report(gw)
    resident = born(dt.date(1990, 1, 1))
    EventReport.objects.filter(pk=about.pk).update(applicant=resident)
    plans = proactive_run(on=today, actor="测试", dry_run=True)
    assert [(p.applicant_id, p.trigger_key) for p in plans] == [(resident.pk, f"event:{about.pk}")]
    assert nobody.applicant_id is None


def test_condition_in_the_eligibility_format_filters_candidates(pw):
    rule(pw, condition={"==": [{"var": "has_open_case"}, False]})
    idle = born(dt.date(1946, 2, 1))
    busy = born(dt.date(1946, 3, 1))
    case_f.case(pw, applicant_=busy, state="in_progress")
    assert _offered() == {idle.pk}
