"""The resident's offers under /my/offers/: their own only, opened once, 去办理, the
one-tap confirmation, and turning offers off."""

import datetime as dt

import pytest
from django.urls import reverse

from sanyi.applicants.auth import SESSION_KEY
from sanyi.audit.models import AuditEvent
from sanyi.cases.choices import CaseStatus
from sanyi.proactive.models import ProactiveOffer, ProactiveOptOut
from sanyi.proactive.services import proactive_run
from sanyi.proactive.tests.factories import born, rule

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 15)


def sign_in(client, applicant):
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()
    return client


def _offer(pw, **rule_fields) -> ProactiveOffer:
    rule(pw, **rule_fields)
    born(dt.date(1946, 5, 1), phone="13800000001", address="示范区文一路1号")
    [plan] = proactive_run(on=ON, actor="测试")
    return ProactiveOffer.objects.select_related("applicant").get(pk=plan.offer_id)


def test_the_offer_page_marks_it_opened_once(client, pw):
    offer = _offer(pw)
    me = sign_in(client, offer.applicant)
    url = reverse("proactive_my:offer", args=[offer.pk])
    page = me.get(url)
    assert page.status_code == 200 and "满80周岁" in page.content.decode()
    opened = ProactiveOffer.objects.get(pk=offer.pk).opened_at
    assert opened is not None
    me.get(url)
    assert ProactiveOffer.objects.get(pk=offer.pk).opened_at == opened
    assert AuditEvent.objects.filter(action="proactive.offer_open").count() == 1


def test_another_residents_offer_is_404(client, pw):
    offer = _offer(pw)
    me = sign_in(client, born(dt.date(1990, 1, 1)))
    assert me.get(reverse("proactive_my:offer", args=[offer.pk])).status_code == 404
    assert me.post(reverse("proactive_my:apply", args=[offer.pk])).status_code == 404
    assert me.post(reverse("proactive_my:confirm", args=[offer.pk])).status_code == 404
    assert ProactiveOffer.objects.get(pk=offer.pk).opened_at is None


def test_the_page_needs_the_residents_sign_in(client, pw):
    offer = _offer(pw)
    page = client.get(reverse("proactive_my:offer", args=[offer.pk]))
    assert page.status_code == 302 and "/my/login/" in page["Location"]


def test_apply_leads_to_the_prefilled_draft(client, pw):
    offer = _offer(pw)
    me = sign_in(client, offer.applicant)
    answer = me.post(reverse("proactive_my:apply", args=[offer.pk]))
    offer.refresh_from_db()
    assert answer["Location"] == reverse("cases:edit", args=[offer.case.number])
    form = me.get(answer["Location"]).content.decode()
    assert "13800000001" in form and "示范区文一路1号" in form


def test_confirm_submits_the_auto_case(client, pw, auto_item):
    offer = _offer(pw, action="auto_case", item=auto_item)
    me = sign_in(client, offer.applicant)
    page = me.get(reverse("proactive_my:offer", args=[offer.pk])).content.decode()
    assert "确认并提交申请" in page
    answer = me.post(reverse("proactive_my:confirm", args=[offer.pk]))
    offer.refresh_from_db()
    assert answer["Location"] == reverse("cases:case", args=[offer.case.number])
    assert offer.case.status == CaseStatus.PRECHECK


def test_opting_out_from_the_page_stops_future_offers(client, pw):
    offer = _offer(pw)
    me = sign_in(client, offer.applicant)
    answer = me.post(reverse("proactive_my:opt"), {"rule_code": "", "receive": "0"})
    assert answer.status_code == 302
    assert ProactiveOptOut.objects.filter(applicant=offer.applicant, rule_code="").exists()
    rule(pw, code="elderly-80-bis")
    assert proactive_run(on=ON, actor="测试") == []
    me.post(reverse("proactive_my:opt"), {"rule_code": "", "receive": "1"})
    assert [p.rule_code for p in proactive_run(on=ON, actor="测试")] == ["elderly-80-bis"]


def test_opting_out_of_one_kind_is_shown_and_audited(client, pw):
    offer = _offer(pw)
    me = sign_in(client, offer.applicant)
    me.post(reverse("proactive_my:opt"), {"rule_code": offer.rule_code, "receive": "0"})
    page = me.get(reverse("proactive_my:offers")).content.decode()
    assert "重新接收此类推送" in page and "不接收任何主动服务" in page
    assert AuditEvent.objects.filter(action="proactive.opt_out").count() == 1


def test_the_list_shows_only_my_offers_in_few_queries(client, pw, django_assert_max_num_queries):
    offer = _offer(pw)
    rule(pw, code="other")
    proactive_run(on=ON, actor="测试")
    stranger = born(dt.date(1946, 2, 2), name="路人甲")
    proactive_run(on=ON, actor="测试")
    me = sign_in(client, offer.applicant)
    with django_assert_max_num_queries(12):
        page = me.get(reverse("proactive_my:offers")).content.decode()
    assert page.count("查看详情") == 2 and stranger.display_name not in page
