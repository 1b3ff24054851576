"""The daily run: never twice, opt-out, dry run, audit and notification, cost."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from sanyi.audit.models import AuditEvent
from sanyi.notify.models import Message
from sanyi.proactive.models import ProactiveOffer
from sanyi.proactive.services import proactive_opt_in, proactive_opt_out, proactive_run
from sanyi.proactive.tests.factories import born, rule

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 15)


def test_second_run_on_the_same_day_offers_nothing_new(pw):
    rule(pw)
    born(dt.date(1946, 5, 1))
    assert len(proactive_run(on=ON, actor="测试")) == 1
    assert proactive_run(on=ON, actor="测试") == []
    assert proactive_run(on=ON + dt.timedelta(days=30), actor="测试") == []
    assert ProactiveOffer.objects.count() == 1


def test_database_refuses_a_second_offer_for_the_same_trigger(pw):
    rule(pw)
    born(dt.date(1946, 5, 1))
    [plan] = proactive_run(on=ON, actor="测试")
    offer = ProactiveOffer.objects.get(pk=plan.offer_id)
    offer.pk = None
    with pytest.raises(IntegrityError):
        offer.save()


def test_a_new_version_of_the_rule_does_not_offer_the_same_trigger_again(pw):
    rule(pw)
    born(dt.date(1946, 5, 1))
    proactive_run(on=ON, actor="测试")
    rule(pw, name="高龄津贴提醒（修订）")
    assert proactive_run(on=ON, actor="测试") == []


def test_opted_out_resident_gets_no_offer(pw):
    rule(pw)
    resident = born(dt.date(1946, 5, 1))
    proactive_opt_out(applicant=resident, actor=resident.audit_label)
    assert proactive_run(on=ON, actor="测试") == []


def test_opt_out_of_one_rule_keeps_the_others(pw):
    rule(pw, code="elderly-80")
    rule(pw, code="elderly-80-bis")
    resident = born(dt.date(1946, 5, 1))
    proactive_opt_out(applicant=resident, actor=resident.audit_label, rule_code="elderly-80")
    plans = proactive_run(on=ON, actor="测试")
    assert [p.rule_code for p in plans] == ["elderly-80-bis"]


def test_opting_back_in_brings_offers_back_and_is_audited(pw):
    rule(pw)
    resident = born(dt.date(1946, 5, 1))
    proactive_opt_out(applicant=resident, actor=resident.audit_label)
    assert proactive_opt_in(applicant=resident, actor=resident.audit_label)
    assert len(proactive_run(on=ON, actor="测试")) == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"proactive.opt_out", "proactive.opt_in"} <= actions


def test_dry_run_writes_nothing(pw):
    rule(pw)
    born(dt.date(1946, 5, 1))
    audits = AuditEvent.objects.count()
    plans = proactive_run(on=ON, actor="测试", dry_run=True)
    assert len(plans) == 1 and plans[0].offer_id is None
    assert ProactiveOffer.objects.count() == 0
    assert AuditEvent.objects.count() == audits


def test_each_offer_is_audited_and_sent_with_its_landing_link(
    pw, django_capture_on_commit_callbacks
):
    rule(pw)
    resident = born(dt.date(1946, 5, 1), phone="13800000001")
    with django_capture_on_commit_callbacks(execute=True):
        [plan] = proactive_run(on=ON, actor="测试")
    offer = ProactiveOffer.objects.get(pk=plan.offer_id)
    assert offer.channel == "sms" and offer.sent_at is not None
    assert AuditEvent.objects.filter(action="proactive.offer", object_id=str(offer.pk)).exists()
    message = Message.objects.get(applicant=resident, event="proactive.offer")
    assert message.link == f"/my/offers/{offer.pk}/"
    assert "满80周岁" in message.body


def _queries(on) -> int:
    with CaptureQueriesContext(connection) as ctx:
        proactive_run(on=on, actor="测试", dry_run=True)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_applicants(pw):
    rule(pw, condition={"==": [{"var": "has_open_case"}, False]})
    born(dt.date(1946, 5, 1))
    born(dt.date(1960, 5, 1))
    few = _queries(ON)
    for n in range(8):
        born(dt.date(1946, 1, 1 + n))
        born(dt.date(1970, 1, 1 + n))
    assert len(proactive_run(on=ON, actor="测试", dry_run=True)) == 9
    assert _queries(ON) == few
