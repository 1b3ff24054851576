"""What a resident does with an offer, and 免申即享: the case opened by the run."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.notify.models import Message
from sanyi.proactive import selectors
from sanyi.proactive.models import ProactiveOffer
from sanyi.proactive.services import (
    proactive_offer_apply,
    proactive_offer_confirm,
    proactive_offer_open,
    proactive_opt_out,
    proactive_run,
)
from sanyi.proactive.tests.factories import born, rule

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 15)


def _offer(pw, **rule_fields) -> ProactiveOffer:
    rule(pw, **rule_fields)
    born(dt.date(1946, 5, 1), phone="13800000001", address="示范区文一路1号")
    [plan] = proactive_run(on=ON, actor="测试")
    return ProactiveOffer.objects.get(pk=plan.offer_id)


def test_opening_marks_the_offer_once_and_audits_it(pw):
    offer = _offer(pw)
    assert proactive_offer_open(offer=offer, actor="居民")
    first = ProactiveOffer.objects.get(pk=offer.pk).opened_at
    assert not proactive_offer_open(offer=offer, actor="居民")
    assert ProactiveOffer.objects.get(pk=offer.pk).opened_at == first
    assert AuditEvent.objects.filter(action="proactive.offer_open").count() == 1


def test_apply_opens_one_prefilled_draft_linked_to_the_offer(pw):
    offer = _offer(pw)
    case = proactive_offer_apply(offer=offer, actor=offer.applicant.audit_label)
    assert case.status == CaseStatus.DRAFT and case.applicant_id == offer.applicant_id
    assert case.form_data["phone"] == "13800000001"
    assert case.form_data["address"] == "示范区文一路1号"
    again = proactive_offer_apply(offer=offer, actor=offer.applicant.audit_label)
    assert again.pk == case.pk and Case.objects.count() == 1
    assert ProactiveOffer.objects.get(pk=offer.pk).case_id == case.pk


def test_auto_case_run_opens_one_draft_per_trigger_and_says_so(
    pw, auto_item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offer = _offer(pw, action="auto_case", item=auto_item)
    assert offer.case is not None and offer.case.status == CaseStatus.DRAFT
    assert offer.case.implementation_item_id == auto_item.pk
    assert proactive_run(on=ON, actor="测试") == []
    assert proactive_run(on=ON + dt.timedelta(days=1), actor="测试") == []
    assert Case.objects.count() == 1
    message = Message.objects.get(applicant=offer.applicant, event="proactive.offer")
    assert message.link == f"/my/offers/{offer.pk}/" and "确认" in message.body
    assert AuditEvent.objects.filter(action="proactive.offer_case").count() == 1


def test_auto_case_respects_opt_out(pw, auto_item):
    rule(pw, action="auto_case", item=auto_item)
    resident = born(dt.date(1946, 5, 1))
    proactive_opt_out(applicant=resident, actor=resident.audit_label)
    assert proactive_run(on=ON, actor="测试") == []
    assert Case.objects.count() == 0 and ProactiveOffer.objects.count() == 0


def test_auto_case_dry_run_writes_nothing(pw, auto_item):
    rule(pw, action="auto_case", item=auto_item)
    born(dt.date(1946, 5, 1))
    audits = AuditEvent.objects.count()
    assert len(proactive_run(on=ON, actor="测试", dry_run=True)) == 1
    assert Case.objects.count() == 0 and ProactiveOffer.objects.count() == 0
    assert AuditEvent.objects.count() == audits


def test_auto_case_without_confirmation_is_submitted_at_once(pw, auto_item):
    offer = _offer(pw, action="auto_case", item=auto_item, confirm_required=False)
    assert offer.case.status == CaseStatus.PRECHECK and offer.case.submitted_at is not None


def test_a_refused_case_leaves_no_offer_behind(pw):
    # the licence item asks for a paper the resident has not given: no direct submit
    rule(pw, action="auto_case", confirm_required=False)
    born(dt.date(1946, 5, 1))
    audits = AuditEvent.objects.count()
    assert proactive_run(on=ON, actor="测试") == []
    assert ProactiveOffer.objects.count() == 0 and Case.objects.count() == 0
    assert AuditEvent.objects.count() == audits


def test_confirmation_submits_the_case_once(pw, auto_item):
    offer = _offer(pw, action="auto_case", item=auto_item)
    case = proactive_offer_confirm(offer=offer, actor=offer.applicant.audit_label)
    assert case.status == CaseStatus.PRECHECK
    again = proactive_offer_confirm(offer=offer, actor=offer.applicant.audit_label)
    assert again.pk == case.pk and again.status == CaseStatus.PRECHECK
    assert AuditEvent.objects.filter(action="proactive.offer_confirm").count() == 1


def test_confirmation_names_missing_materials(pw):
    offer = _offer(pw)
    proactive_offer_apply(offer=offer, actor=offer.applicant.audit_label)
    with pytest.raises(ValidationError, match="申请书"):
        proactive_offer_confirm(offer=offer, actor=offer.applicant.audit_label)


def test_counters_follow_the_linked_cases(pw, auto_item, django_assert_num_queries):
    from sanyi.cases.tests.factories import provide_all

    rule(pw, action="auto_case", item=auto_item)
    people = [born(dt.date(1946, 5, d)) for d in (1, 2, 3)]
    proactive_run(on=ON, actor="测试")
    offers = {o.applicant_id: o for o in ProactiveOffer.objects.select_related("case")}
    first, second, _ = (offers[p.pk] for p in people)
    proactive_offer_open(offer=first, actor="居民")
    proactive_offer_open(offer=second, actor="居民")
    case = proactive_offer_confirm(offer=first, actor="居民")
    provide_all(case)
    case.refresh_from_db()
    Case.objects.filter(pk=case.pk).update(concluded_at=case.submitted_at)
    with django_assert_num_queries(2):  # the viewer's roles, then one aggregate
        [row] = list(selectors.rules_with_counters(viewer=pw["supervisor"]))
    assert (row.sent, row.opened, row.applied, row.concluded) == (3, 2, 1, 1)


def test_another_residents_offer_is_not_theirs(pw):
    offer = _offer(pw)
    other = born(dt.date(1990, 1, 1))
    assert selectors.offer_of(other, offer.pk) is None
    assert selectors.offer_of(offer.applicant, offer.pk) == offer
