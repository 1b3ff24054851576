"""Staff request pages: the worklist (scoped, filtered, bounded queries, clock badges), the
overdue list, registering a written request, and every action form: a happy path and a
Chinese error next to the field, with nothing half-saved."""

import datetime as dt

import pytest
from django.urls import reverse

from sanyi.calendar.tests.factories import official_calendar
from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import (
    AppealKind,
    AppealResult,
    DeliveryForm,
    EventKind,
    FeeMethod,
    IntakeChannel,
    Outcome,
    RequestStatus,
)
from sanyi.disclosure_requests.models import Appeal, InfoRequest
from sanyi.disclosure_requests.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db
D = dt.date
LIST = reverse("workbench:disclosure_requests:list")


@pytest.fixture
def org_tree(db):
    official_calendar()
    return f.setting()


def _detail(r):
    return reverse("workbench:disclosure_requests:detail", args=[r.pk])


def _act(r, action):
    return reverse("workbench:disclosure_requests:act", args=[r.pk, action])


NOV_2 = D(2026, 11, 2)


def received(org_tree, on=NOV_2, **fields):
    return f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=on, **fields)


# --- access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, org_tree):
    response = client.get(LIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_without_a_disclosure_role_gets_403(client, org_tree):
    clerk = org_f.staff(org_tree["dept"], Role.CATALOG_ADMIN)
    client.force_login(clerk)
    assert client.get(LIST).status_code == 403


def test_officer_of_another_subdistrict_sees_nothing_and_gets_404(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["outsider"])

    html = client.get(LIST).content.decode()

    assert r.number not in html
    assert client.get(_detail(r)).status_code == 404
    assert client.post(_act(r, "reply"), {}).status_code == 404


def test_supervisor_reads_but_cannot_act(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["supervisor"])

    page = client.get(_detail(r)).content.decode()
    response = client.post(
        _act(r, "withdraw"), {"withdraw-on": "2026-11-03", "withdraw-reason": "x"}
    )

    assert r.number in page and "办理由受理机关的政务公开专员进行" in page
    assert 'id="action-reply"' not in page
    assert response.status_code == 403
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS


def test_workbench_home_shows_the_tile_to_officers(client, org_tree):
    client.force_login(org_tree["officer"])
    assert LIST in client.get(reverse("workbench:home")).content.decode()


# --- worklist --------------------------------------------------------------------------------


def test_worklist_sorts_by_due_date_with_clock_badges_and_bounded_queries(
    client, org_tree, django_assert_max_num_queries
):
    today = dt.date.today()
    late = received(org_tree, on=today - dt.timedelta(days=60), description="很早收到的申请")
    for i in range(6):
        received(org_tree, on=today - dt.timedelta(days=i))
    f.online(org_tree["agency"])
    client.force_login(org_tree["officer"])

    with django_assert_max_num_queries(14):
        response = client.get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(late.number) < html.index(InfoRequest.objects.exclude(pk=late.pk).filter(
        channel=IntakeChannel.IN_PERSON).order_by("reply_due_on").last().number)  # fmt: skip
    assert "已超期" in html
    assert "待确认收到" in html
    assert "剩" in html


def test_worklist_query_count_does_not_grow_with_rows(client, org_tree, django_assert_num_queries):
    for _ in range(3):
        received(org_tree)
    client.force_login(org_tree["officer"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(10):
        received(org_tree)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)

    assert len(many.captured_queries) == len(few.captured_queries)


def test_worklist_filters(client, org_tree):
    today = dt.date.today()
    overdue = received(org_tree, on=today - dt.timedelta(days=60))
    fresh = received(org_tree, on=today)
    posted = received(org_tree, on=today, channel=IntakeChannel.POST)
    online = f.online(org_tree["agency"]).request
    other_agency = f.registered(
        org_tree["sub1"], actor=org_tree["district_officer"], received_on=today
    )
    client.force_login(org_tree["district_officer"])

    def numbers(**params):
        html = client.get(LIST, params).content.decode()
        return {
            r.number for r in (overdue, fresh, posted, online, other_agency) if r.number in html
        }

    assert numbers(clock="overdue") == {overdue.number}
    assert numbers(channel="post") == {posted.number}
    assert numbers(channel="online") == {online.number}
    assert numbers(agency=org_tree["sub1"].pk) == {other_agency.number}
    assert numbers(status="awaiting_confirmation") == {online.number}
    assert numbers(due_within=5) == {overdue.number}
    assert numbers(year=today.year - 5) == set()


def test_worklist_hides_concluded_requests_unless_asked(client, org_tree):
    r = received(org_tree)
    services.request_reply(
        actor=org_tree["officer"],
        request=r,
        outcome=Outcome.DISCLOSE,
        text="已公开",
        on=D(2026, 11, 5),
        carriers=f.carrying(Outcome.DISCLOSE),
    )
    client.force_login(org_tree["officer"])

    assert r.number not in client.get(LIST).content.decode()
    assert r.number in client.get(LIST, {"status": "all"}).content.decode()
    assert r.number in client.get(LIST, {"status": "replied"}).content.decode()


def test_overdue_list(client, org_tree):
    late = received(org_tree, on=dt.date.today() - dt.timedelta(days=60))
    fresh = received(org_tree, on=dt.date.today())
    client.force_login(org_tree["supervisor"])

    html = client.get(reverse("workbench:disclosure_requests:overdue")).content.decode()

    assert late.number in html and fresh.number not in html


def test_worklist_masks_personal_names(client, org_tree):
    received(org_tree, name="欧阳明")
    client.force_login(org_tree["officer"])

    html = client.get(LIST).content.decode()

    assert "欧**" in html and "欧阳明" not in html


# --- registering -----------------------------------------------------------------------------


REGISTER = reverse("workbench:disclosure_requests:register")


def _register_data(org_tree, **overrides):
    data = {
        "channel": IntakeChannel.POST,
        "received_on": "2026-11-04",
        "submitted_on": "2026-11-02",
        "agency": org_tree["agency"].pk,
        "kind": "person",
        "organisation_category": "",
        "name": "孙七",
        "id_number": f.person_id(),
        "phone": "10011112222",
        "email": "",
        "address": "示范区东湖路1号",
        "postal_code": "",
        "description": "2025年区级财政预算执行情况",
        "purpose": "",
        "delivery_form": DeliveryForm.PAPER,
    }
    data.update(overrides)
    return data


def test_officer_registers_a_posted_request_received_on_the_day_signed_for(client, org_tree):
    client.force_login(org_tree["officer"])

    response = client.post(REGISTER, _register_data(org_tree))

    r = InfoRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(r)
    assert (r.channel, r.received_on, r.submitted_on) == (
        IntakeChannel.POST,
        D(2026, 11, 4),
        D(2026, 11, 2),
    )
    page = client.get(response["Location"]).content.decode()
    assert 'id="query-code"' in page  # shown once, to hand to the applicant
    assert 'id="query-code"' not in client.get(response["Location"]).content.decode()


def test_register_refuses_a_future_date_and_saves_nothing(client, org_tree):
    client.force_login(org_tree["officer"])
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()

    response = client.post(REGISTER, _register_data(org_tree, received_on=tomorrow))

    assert response.status_code == 400
    assert "收到申请日期不能晚于今天" in response.content.decode()
    assert_error_summary(response, {"id_received_on": "收到申请日期不能晚于今天"})
    assert not InfoRequest.objects.exists()


def test_register_offers_only_agencies_in_scope(client, org_tree):
    client.force_login(org_tree["officer"])

    response = client.post(REGISTER, _register_data(org_tree, agency=org_tree["sub2"].pk))

    assert response.status_code == 400
    assert not InfoRequest.objects.exists()


def test_supervisor_cannot_register(client, org_tree):
    client.force_login(org_tree["supervisor"])
    assert client.get(REGISTER).status_code == 403


# --- actions ---------------------------------------------------------------------------------


def _post(client, r, action, **fields):
    return client.post(_act(r, action), {f"{action}-{k}": v for k, v in fields.items()})


def test_confirm_online_request(client, org_tree):
    r = f.online(org_tree["agency"], on=D(2026, 11, 2)).request
    client.force_login(org_tree["officer"])

    early = _post(client, r, "confirm", on="2026-11-01")
    ok = _post(client, r, "confirm", on="2026-11-03")

    assert early.status_code == 400 and "日期不能早于提交日期" in early.content.decode()
    assert ok.status_code == 302
    r.refresh_from_db()
    assert (r.status, r.received_on, r.reply_due_on) == (
        RequestStatus.IN_PROGRESS,
        D(2026, 11, 3),
        D(2026, 12, 1),
    )


def test_correction_notice_lists_every_problem_once_and_within_7_working_days(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["officer"])

    late = _post(client, r, "correction-notice", on="2026-11-12", what="a", due_on="")
    ok = _post(
        client, r, "correction-notice", on="2026-11-04", what="缺少文件年份\n缺少发文机关",
        due_on="2026-11-20",
    )  # fmt: skip

    assert late.status_code == 400
    assert "7个工作日内" in late.content.decode()
    assert ok.status_code == 302
    r.refresh_from_db()
    assert r.status == RequestStatus.AWAITING_CORRECTION
    assert r.correction_request == "1. 缺少文件年份\n2. 缺少发文机关"
    assert r.correction_due_on == D(2026, 11, 20)
    page = client.get(_detail(r)).content.decode()
    assert 'id="action-correction-notice"' not in page  # only once


def test_correction_received_restarts_the_clock(client, org_tree):
    r = received(org_tree)
    services.request_correction_notice(
        actor=org_tree["officer"],
        request=r,
        what="缺少年份",
        on=D(2026, 11, 3),
        due_on=D(2026, 11, 10),
    )
    client.force_login(org_tree["officer"])

    late = _post(client, r, "correction-received", on="2026-11-12", note="")
    ok = _post(client, r, "correction-received", on="2026-11-09", note="补充了年份")

    assert late.status_code == 400 and "正当理由" in late.content.decode()
    assert ok.status_code == 302
    r.refresh_from_db()
    assert (r.clock_start_on, r.reply_due_on) == (D(2026, 11, 9), D(2026, 12, 7))


def test_consultation_start_and_end(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["officer"])

    missing = _post(client, r, "consultation-start", on="2026-11-05", party="", note="")
    start = _post(
        client, r, "consultation-start", on="2026-11-05", party="某建设公司", note="",
        delivery_method="by_hand", delivered_on="2026-11-05",
    )  # fmt: skip
    r.refresh_from_db()
    assert r.status == RequestStatus.CONSULTING
    end = _post(client, r, "consultation-end", on="2026-11-12", note="第三方不同意公开")

    assert missing.status_code == 400 and "第三方名称" in missing.content.decode()
    assert start.status_code == end.status_code == 302
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS
    # 11/6 … 11/12 (5 working days) are not counted: due 11/30 + 5 working days
    assert r.reply_due_on == D(2026, 12, 7)


def test_extension_needs_another_officer_and_only_once(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["officer"])

    no_reason = _post(
        client, r, "extend", on="2026-11-20", days="20", reason="", approver=org_tree["officer2"].pk
    )
    self_approved = _post(
        client,
        r,
        "extend",
        on="2026-11-20",
        days="20",
        reason="材料多",
        approver=org_tree["officer"].pk,
    )
    ok = _post(
        client,
        r,
        "extend",
        on="2026-11-20",
        days="20",
        reason="材料多",
        approver=org_tree["approver"].pk,
    )

    assert no_reason.status_code == 400 and "该字段是必填项" in no_reason.content.decode()
    assert self_approved.status_code == 400  # the acting officer is not offered as approver
    assert ok.status_code == 302
    r.refresh_from_db()
    assert (r.extension_days, r.extension_approver, r.reply_due_on) == (
        20,
        org_tree["approver"],
        D(2026, 12, 28),
    )
    assert 'id="action-extend"' not in client.get(_detail(r)).content.decode()


def test_fee_notice_and_payment(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["officer"])

    free = _post(client, r, "fee-notice", on="2026-11-03", method=FeeMethod.PER_PAGE, pages="20")
    ok = _post(client, r, "fee-notice", on="2026-11-03", method=FeeMethod.PER_PAGE, pages="120")
    r.refresh_from_db()
    assert (r.status, r.fee_amount) == (RequestStatus.AWAITING_FEE, 10 * 70 + 20 * 20)
    paid = _post(client, r, "fee-paid", on="2026-11-06")

    assert free.status_code == 400 and "不收费" in free.content.decode()
    assert ok.status_code == paid.status_code == 302
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS and r.fee_paid_on == D(2026, 11, 6)


def test_reply_generates_the_letter_and_staff_can_download_it(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["officer"])

    no_text = _post(
        client, r, "reply", on="2026-11-10", outcome=Outcome.WITHHOLD_THIRD_PARTY, text="",
        legal_basis="", referral="", method="online",
    )  # fmt: skip
    ok = _post(
        client, r, "reply", on="2026-11-10", outcome=Outcome.WITHHOLD_THIRD_PARTY,
        text="涉及第三方商业秘密，不予公开。", legal_basis="", referral="", method="post",
    )  # fmt: skip

    assert no_text.status_code == 400 and "该字段是必填项" in no_text.content.decode()
    assert_error_summary(no_text, {"id_reply-text": "该字段是必填项"})
    assert ok.status_code == 302
    r.refresh_from_db()
    assert (r.status, r.outcome, r.concluded_on) == (
        RequestStatus.REPLIED,
        Outcome.WITHHOLD_THIRD_PARTY,
        D(2026, 11, 10),
    )
    page = client.get(_detail(r)).content.decode()
    assert "保护第三方合法权益" in page
    letter = client.get(reverse("workbench:disclosure_requests:letter", args=[r.pk]))
    assert letter.status_code == 200
    assert b"".join(letter.streaming_content).startswith(b"%PDF")


def test_reply_error_from_the_service_is_shown_and_nothing_is_saved(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["officer"])

    response = _post(
        client, r, "reply", on="2026-11-10", outcome=Outcome.UNAVAILABLE_UNCLEAR,
        text="仍不明确", legal_basis="", referral="", method="online",
    )  # fmt: skip

    assert response.status_code == 400
    assert "只适用于已补正的申请" in response.content.decode()
    assert_error_summary(response, texts=["只适用于已补正的申请"])
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS and r.outcome == ""
    assert not r.events.filter(kind=EventKind.REPLIED).exists()


def test_reply_outcomes_are_grouped_as_in_the_annual_report(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["officer"])

    html = client.get(_detail(r)).content.decode()

    for group in [
        "（一）予以公开",
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
    ]:
        assert f'<optgroup label="{group}">' in html


def test_withdraw(client, org_tree):
    r = received(org_tree)
    client.force_login(org_tree["officer"])

    response = _post(client, r, "withdraw", on="2026-11-05", reason="申请人电话告知撤回")

    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.status, r.outcome) == (RequestStatus.WITHDRAWN, Outcome.OTHER)


def test_appeal_is_recorded_and_concluded(client, org_tree):
    r = received(org_tree)
    services.request_reply(
        actor=org_tree["officer"], request=r, outcome=Outcome.WITHHOLD_PROCESS, text="过程性信息",
        on=D(2026, 11, 10),
    )  # fmt: skip
    client.force_login(org_tree["officer"])

    wrong = _post(
        client, r, "appeal", kind=AppealKind.LAWSUIT_AFTER_REVIEW, filed_on="2026-11-12",
        authority="示范区人民法院", case_number="", note="",
    )  # fmt: skip
    ok = _post(
        client, r, "appeal", kind=AppealKind.REVIEW, filed_on="2026-11-12",
        authority="示范市人民政府", case_number="示复〔2026〕8号", note="",
    )  # fmt: skip
    appeal = Appeal.objects.get()
    url = reverse("workbench:disclosure_requests:appeal_conclude", args=[r.pk, appeal.pk])
    early = client.post(
        url,
        {f"appeal-{appeal.pk}-result": "upheld", f"appeal-{appeal.pk}-concluded_on": "2026-11-11"},
    )
    done = client.post(
        url,
        {f"appeal-{appeal.pk}-result": "upheld", f"appeal-{appeal.pk}-concluded_on": "2026-11-20"},
    )

    assert wrong.status_code == 400 and "须先有行政复议记录" in wrong.content.decode()
    assert ok.status_code == 302
    assert early.status_code == 400 and "审结日期不能早于提起日期" in early.content.decode()
    assert done.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.result, appeal.concluded_on) == (AppealResult.UPHELD, D(2026, 11, 20))


def test_detail_shows_the_ledger_timeline(client, org_tree):
    r = received(org_tree)
    services.request_extend(
        actor=org_tree["officer"],
        request=r,
        days=10,
        reason="需要汇总",
        approver=org_tree["approver"],
        on=D(2026, 11, 6),
    )  # fmt: skip
    client.force_login(org_tree["officer"])

    html = client.get(_detail(r)).content.decode()

    assert "登记申请" in html and "延长答复期限" in html
    assert "2026-11-30 → 2026-12-14" in html


def test_detail_page_query_count_is_bounded(client, org_tree, django_assert_max_num_queries):
    r = received(org_tree)
    services.request_consultation_start(
        actor=org_tree["officer"], request=r, party="某公司", on=D(2026, 11, 3)
    )
    client.force_login(org_tree["officer"])

    with django_assert_max_num_queries(25):
        assert client.get(_detail(r)).status_code == 200


def test_date_fields_default_to_today_in_the_format_browsers_read(client, org_tree):
    r = f.online(org_tree["agency"]).request
    client.force_login(org_tree["officer"])

    html = client.get(_detail(r)).content.decode()

    assert f'name="confirm-on" value="{dt.date.today().isoformat()}"' in html


def test_due_soon_filter_shows_the_yellow_requests(client, org_tree):
    from sanyi.disclosure_requests.demo.load import workdays_before

    today = dt.date.today()
    yellow = received(org_tree, on=workdays_before(today, 17))
    fresh = received(org_tree, on=workdays_before(today, 2))
    client.force_login(org_tree["officer"])

    html = client.get(LIST, {"clock": "due_soon"}).content.decode()

    assert yellow.number in html and fresh.number not in html
    assert "即将到期" in html


def test_notices_are_listed_and_downloadable(client, org_tree):
    r = received(org_tree)
    services.request_extend(
        actor=org_tree["officer"],
        request=r,
        days=5,
        reason="需要汇总",
        approver=org_tree["approver"],
        on=D(2026, 11, 6),
    )  # fmt: skip
    notice = r.notices.get()
    client.force_login(org_tree["officer"])

    html = client.get(_detail(r)).content.decode()
    response = client.get(reverse("workbench:disclosure_requests:notice", args=[r.pk, notice.pk]))

    assert "延期答复告知书" in html
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(org_tree["outsider"])
    assert (
        client.get(
            reverse("workbench:disclosure_requests:notice", args=[r.pk, notice.pk])
        ).status_code
        == 404
    )
