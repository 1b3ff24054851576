"""Bundle pages: the resident's one form, receipt and tracking page; the counter's
acceptance in one go; the API."""

import pytest
from django.urls import reverse

from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Bundle
from sanyi.cases.tests import bundle_factories as bf
from sanyi.cases.tests.factories import applicant, upload

pytestmark = pytest.mark.django_db


def _signed_in(client, person):
    from sanyi.applicants.auth import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()


def test_resident_fills_one_form_and_gets_one_receipt_and_tracking_page(
    client, w, django_assert_max_num_queries
):
    person = applicant()
    _signed_in(client, person)
    event = bf.life_event(w)
    url = reverse("cases:bundle_apply", args=[event.pk])
    page = client.get(url)
    assert "污水是否排入管网？" in page.content.decode()
    step2 = client.get(url, {"answer_sewer": "yes"})
    text = step2.content.decode()
    assert "申请书" in text and "申请表" in text and "营业执照" in text  # carried, named
    form = step2.context["form"]
    files = {k: upload() for k in form.fields}
    answer = client.post(url + "?answer_sewer=yes", {"key": "k1", **files})
    bundle = Bundle.objects.get(applicant=person)
    assert answer.status_code == 302
    assert answer.url == reverse("cases:bundle_receipt", args=[bundle.number])
    receipt = client.get(answer.url).content.decode()
    assert bundle.number in receipt and receipt.count("<tr>") == 4  # head + 3 members
    with django_assert_max_num_queries(12):
        tracking = client.get(reverse("cases:bundle_detail", args=[bundle.number]))
    assert "等待前序事项办结" in tracking.content.decode()


def test_a_missing_material_is_named_on_the_form_and_nothing_is_saved(client, w):
    person = applicant()
    _signed_in(client, person)
    event = bf.life_event(w)
    url = reverse("cases:bundle_apply", args=[event.pk]) + "?answer_sewer=no"
    page = client.post(url, {"key": "k2"})
    assert page.status_code == 200 and "申请书" in page.content.decode()
    assert not Bundle.objects.filter(applicant=person).exists()


def test_another_residents_bundle_is_not_found(client, w):
    bundle = bf.apply(w, applicant())
    _signed_in(client, applicant())
    assert client.get(reverse("cases:bundle_detail", args=[bundle.number])).status_code == 404


def test_the_counter_accepts_the_bundle_in_one_go(client, w, django_assert_max_num_queries):
    bundle = bf.apply(w, applicant())
    for m in bundle.members.select_related("case"):
        if m.case.status == CaseStatus.PRECHECK:
            bf.precheck(w, m.case)
    client.force_login(w["clerk"])
    url = reverse("workbench:cases:counter_bundle", args=[bundle.number])
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert "一并受理1个事项" in page and "核对无误" in page
    # Nothing checked against the originals: refused, naming the member and material.
    unchecked = client.post(url, {"action": "accept"})
    assert unchecked.status_code == 400 and "请核对" in unchecked.content.decode()
    first = bundle.members.get(case__implementation_item=w["item"]).case
    form = {"action": "accept"}
    for cm in first.materials.all():
        form[f"m-{cm.pk}"] = "checked"
    done = client.post(url, form, follow=True)
    assert "已一并受理1个事项" in done.content.decode()
    assert first.__class__.objects.get(pk=first.pk).status == CaseStatus.IN_PROGRESS


def test_counter_sends_a_member_missing_a_material_to_correction(client, w):
    bundle = bf.apply(w, applicant())
    for m in bundle.members.select_related("case"):
        if m.case.status == CaseStatus.PRECHECK:
            bf.precheck(w, m.case)
    client.force_login(w["clerk"])
    url = reverse("workbench:cases:counter_bundle", args=[bundle.number])
    first = bundle.members.get(case__implementation_item=w["item"]).case
    materials = list(first.materials.all())
    form = {"action": "accept", **{f"m-{cm.pk}": "checked" for cm in materials}}
    form[f"m-{materials[0].pk}"] = "missing"
    done = client.post(url, form, follow=True).content.decode()
    assert "材料不全，已一次性告知补正" in done
    assert first.__class__.objects.get(pk=first.pk).status == CaseStatus.CORRECTION_NOTICE


def test_counter_home_and_queue_link_waiting_bundles(client, w, django_assert_max_num_queries):
    bundle = bf.apply(w, applicant())
    for m in bundle.members.select_related("case"):
        if m.case.status == CaseStatus.PRECHECK:
            bf.precheck(w, m.case)
    client.force_login(w["clerk"])
    home = client.get(reverse("workbench:cases:counter")).content.decode()
    assert "一件事一并受理" in home and 'id="count-bundles">1<' in home
    with django_assert_max_num_queries(30):
        queue = client.get(reverse("workbench:cases:counter_precheck_queue")).content.decode()
    link = reverse("workbench:cases:counter_bundle", args=[bundle.number])
    assert queue.count(link) == 1  # one row for the bundle, with its members
    for m in bundle.members.select_related("case__implementation_item__base_item"):
        assert m.case.implementation_item.base_item.name in queue


def test_api_applies_and_reads_a_bundle(client, w):
    person = applicant()
    event = bf.life_event(w)
    client.force_login(w["clerk"])
    answer = client.post(
        "/api/v1/cases/bundles/",
        {
            "applicant": person.pk,
            "life_event": event.pk,
            "answers": '{"sewer": "no"}',
            "material_names": ["申请书"],
            "materials": [upload()],
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert len(body["members"]) == 2 and body["number"].startswith("YJS-")
    read = client.get(f"/api/v1/cases/bundles/{body['number']}/").json()
    assert [m["status"] for m in read["members"]] == ["待预审", "等待前序事项办结"]
