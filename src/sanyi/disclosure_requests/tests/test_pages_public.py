"""Public request pages: the guide, the online form (idempotent, rate-limited), the result
page with the code shown once, tracking (generic error, rate limit), the online correction,
the letter download and the signed-in applicant's own list."""

import datetime as dt

import pytest
from django.urls import reverse

from sanyi.applicants.auth import SESSION_KEY
from sanyi.calendar.tests.factories import official_calendar
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import (
    ApplicantColumn,
    DeliveryForm,
    EventKind,
    IntakeChannel,
    Outcome,
    RequestStatus,
)
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.disclosure_requests.tests import factories as f

pytestmark = pytest.mark.django_db
NEW = reverse("disclosure_requests:new")
TRACK = reverse("disclosure_requests:track")


@pytest.fixture
def org_tree(db):
    official_calendar()
    return f.setting()


def form_data(org_tree, **overrides):
    data = {
        "kind": "person",
        "organisation_category": "",
        "name": "王小明",
        "id_number": f.person_id(),
        "phone": "10012345678",
        "email": "",
        "address": "示范区人民路3号",
        "postal_code": "",
        "agency": org_tree["agency"].pk,
        "description": "2026年本区老旧小区改造项目的名单和资金安排",
        "purpose": "",
        "delivery_form": DeliveryForm.ELECTRONIC,
        "confirm": "on",
        "idempotency_key": "k-" + f.person_id(),
    }
    data.update(overrides)
    return data


def test_guide_page_explains_the_rules_and_links_to_the_form(client, org_tree):
    html = client.get(reverse("disclosure_requests:index")).content.decode()
    for text in ["20个工作日", "7个工作日内", "第三十一条", "按件计收", "60日内", "6个月内"]:
        assert text in html
    assert NEW in html and TRACK in html


def test_form_lists_only_agencies_that_answer_requests(client, org_tree):
    html = client.get(NEW).content.decode()
    assert org_tree["agency"].name in html
    assert org_tree["sub1"].name in html
    assert org_tree["comm1"].name not in html  # a community is not an administrative organ
    assert 'name="idempotency_key"' in html and "csrfmiddlewaretoken" in html


def test_submit_shows_number_and_code_once_and_the_receipt_rule(client, org_tree):
    response = client.post(NEW, form_data(org_tree))

    request = InfoRequest.objects.get()
    assert response.status_code == 302
    assert request.channel == IntakeChannel.ONLINE
    assert request.status == RequestStatus.AWAITING_CONFIRMATION
    assert request.received_on is None
    page = client.get(response["Location"]).content.decode()
    assert request.number in page
    assert "以机关确认的日期为准" in page
    code = page.split('id="query-code">')[1].split("<")[0]
    assert len(code) == 8
    # the code is not shown again on a reload
    again = client.get(response["Location"]).content.decode()
    assert code not in again
    assert request.number in again


def test_resubmitting_the_same_form_creates_nothing_new(client, org_tree):
    data = form_data(org_tree)
    first = client.post(NEW, data)
    second = client.post(NEW, data)

    assert InfoRequest.objects.count() == 1
    assert first["Location"] == second["Location"]
    page = client.get(second["Location"]).content.decode()
    assert "没有重复提交" in page


def test_organisation_needs_a_category_and_a_credit_code(client, org_tree):
    response = client.post(
        NEW,
        form_data(org_tree, kind="organisation", id_number=f.person_id(), organisation_category=""),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "请选择组织类别" in html
    assert "法人或其他组织请填写统一社会信用代码" in html
    assert not InfoRequest.objects.exists()


def test_organisation_is_counted_in_its_column(client, org_tree):
    client.post(
        NEW,
        form_data(
            org_tree, kind="organisation", id_number=f.org_id(), organisation_category="research"
        ),
    )

    assert InfoRequest.objects.get().applicant_column == ApplicantColumn.RESEARCH


def test_wrong_id_number_is_refused_next_to_the_field(client, org_tree):
    response = client.post(NEW, form_data(org_tree, id_number="110105199001011234"))

    html = response.content.decode()
    assert "校验位不正确" in html
    assert 'id="id_id_number_error"' in html
    assert not InfoRequest.objects.exists()


def test_submissions_are_rate_limited_per_address(client, org_tree, settings):
    settings.SANYI_REQUEST_SUBMIT_LIMIT = 2
    for _ in range(2):
        assert client.post(NEW, form_data(org_tree)).status_code == 302
    response = client.post(NEW, form_data(org_tree))

    assert response.status_code == 429
    assert "操作太频繁" in response.content.decode()
    assert InfoRequest.objects.count() == 2


def test_signed_in_applicant_gets_the_form_prefilled(client, org_tree):
    sub = f.online(org_tree["agency"], name="赵六", phone="10099998888")
    session = client.session
    session[SESSION_KEY] = sub.request.applicant_id
    session.save()

    html = client.get(NEW).content.decode()

    assert 'value="赵六"' in html
    assert 'value="10099998888"' in html


def _track(client, number, code):
    return client.post(TRACK, {"number": number, "code": code})


def test_tracking_with_a_wrong_code_or_number_gives_one_generic_error(client, org_tree):
    sub = f.online(org_tree["agency"])
    wrong_code = _track(client, sub.request.number, "ZZZZZZZZ")
    wrong_number = _track(client, "GK2026-9999-99999", sub.query_code)

    assert wrong_code.status_code == wrong_number.status_code == 400
    message = "申请编号或查询码不正确"
    assert message in wrong_code.content.decode() and message in wrong_number.content.decode()
    assert sub.request.description not in wrong_code.content.decode()
    # and the status page stays closed without the code
    status = reverse("disclosure_requests:status", args=[sub.request.number])
    assert client.get(status).status_code == 404


def test_tracking_is_rate_limited(client, org_tree, settings):
    settings.SANYI_REQUEST_TRACK_LIMIT = 3
    sub = f.online(org_tree["agency"])
    for _ in range(3):
        _track(client, sub.request.number, "ZZZZZZZZ")

    response = _track(client, sub.request.number, sub.query_code)

    assert response.status_code == 429


def test_tracking_shows_status_dates_and_what_happens_next(client, org_tree):
    sub = f.online(org_tree["agency"], on=dt.date(2026, 11, 2))
    services.request_confirm(
        actor=org_tree["officer"], request=sub.request, on=dt.date(2026, 11, 3)
    )

    response = _track(client, sub.request.number.lower(), sub.query_code.lower())
    page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert "办理中" in page
    assert "2026年11月3日" in page  # received (confirmed)
    assert "2026年12月1日前" in page  # 20 working days later
    assert "正在办理" in page


def test_applicant_reads_the_reply_and_downloads_the_letter(client, org_tree):
    sub = f.online(org_tree["agency"])
    request = services.request_confirm(actor=org_tree["officer"], request=sub.request)
    services.request_reply(
        actor=org_tree["officer"],
        request=request,
        outcome=Outcome.DISCLOSE,
        text="您申请的名单已随本答复书提供。",
        carriers=f.carrying(Outcome.DISCLOSE),
    )

    _track(client, sub.request.number, sub.query_code)
    page = client.get(reverse("disclosure_requests:status", args=[request.number]))
    letter = client.get(reverse("disclosure_requests:letter", args=[request.number]))

    assert "您申请的名单已随本答复书提供。" in page.content.decode()
    assert "予以公开" in page.content.decode()
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")


def test_letter_is_not_served_to_someone_who_has_not_tracked_the_request(client, org_tree):
    sub = f.online(org_tree["agency"])
    request = services.request_confirm(actor=org_tree["officer"], request=sub.request)
    services.request_reply(
        actor=org_tree["officer"],
        request=request,
        outcome=Outcome.DISCLOSE,
        text="已提供。",
        carriers=f.carrying(Outcome.DISCLOSE),
    )

    response = client.get(reverse("disclosure_requests:letter", args=[request.number]))

    assert response.status_code == 404


def test_applicant_corrects_online_and_the_clock_restarts(client, org_tree):
    sub = f.online(org_tree["agency"])
    request = services.request_confirm(actor=org_tree["officer"], request=sub.request)
    services.request_correction_notice(
        actor=org_tree["officer"], request=request, what="请写明文件的年份"
    )
    _track(client, request.number, sub.query_code)
    url = reverse("disclosure_requests:correction", args=[request.number])

    empty = client.post(url, {"text": ""})
    done = client.post(url, {"text": "2025年的文件"})

    assert empty.status_code == 400
    assert "该字段是必填项" in empty.content.decode()
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.corrected_on == request.clock_start_on
    assert request.events.filter(
        kind=EventKind.CORRECTION_RECEIVED, note__contains="2025年的文件"
    ).exists()
    # the written correction notice stays downloadable
    notice = request.notices.get()
    page = client.get(reverse("disclosure_requests:status", args=[request.number]))
    pdf = client.get(reverse("disclosure_requests:notice", args=[request.number, notice.pk]))
    assert "补正申请告知书" in page.content.decode()
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_signed_in_applicant_sees_own_requests_only(client, org_tree):
    mine = f.online(org_tree["agency"], description="我的申请内容")
    f.online(org_tree["agency"], description="别人的申请内容")
    session = client.session
    session[SESSION_KEY] = mine.request.applicant_id
    session.save()

    html = client.get(reverse("disclosure_requests:mine")).content.decode()
    status = client.get(reverse("disclosure_requests:status", args=[mine.request.number]))

    assert "我的申请内容" in html and "别人的申请内容" not in html
    assert status.status_code == 200


def test_my_requests_needs_sign_in(client, org_tree):
    response = client.get(reverse("disclosure_requests:mine"))

    assert response.status_code == 302
    assert "/my/login/" in response["Location"]


def test_applicant_area_links_to_my_requests(client, org_tree):
    sub = f.online(org_tree["agency"])
    session = client.session
    session[SESSION_KEY] = sub.request.applicant_id
    session.save()

    html = client.get(reverse("applicants:home")).content.decode()

    assert reverse("disclosure_requests:mine") in html
    assert "我的政府信息公开申请" in html
