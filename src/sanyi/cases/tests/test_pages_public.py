"""The applicant's pages: applying online from the guide, drafts, uploads, wallet reuse,
idempotent submit, the one-time correction notice and its fix, "我的办件", receipts, and the
public progress lookup."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from sanyi.applicants.auth import SESSION_KEY
from sanyi.cases import services
from sanyi.cases.choices import CaseStatus, MaterialStatus
from sanyi.cases.models import Case, PrecheckRound
from sanyi.cases.tests import factories as f
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import Role

pytestmark = pytest.mark.django_db


def sign_in(client, applicant):
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()
    return client


@pytest.fixture
def person():
    return f.applicant(name="林晓梅")


@pytest.fixture
def me(client, person):
    return sign_in(client, person)


def _start(me, w) -> Case:
    response = me.post(
        reverse("cases:apply", args=[w["item"].implementation_code]), {"for": "self"}
    )
    assert response.status_code == 302
    return Case.objects.latest("pk")


def _form(**overrides):
    data = {
        "phone": "10012345678",
        "address": "城关街道幸福路8号",
        "description": "首次办理",
        "delivery_method": "window",
        "delivery_address": "",
    }
    data.update(overrides)
    return data


# --- the guide's button and the start page ---------------------------------------------------


def test_guide_of_an_online_item_offers_online_application(client, w):
    response = client.get(reverse("catalog:guide", args=[w["item"].implementation_code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "在线申请" in html
    assert reverse("cases:apply", args=[w["item"].implementation_code]) in html


def test_guide_of_a_window_only_item_has_no_online_button(client, w):
    version = catalog_f.item(
        unit=w["dept"],
        status="published",
        guide=catalog_f.good_guide(online_depth=["consult"], channels=["window"]),
    )

    response = client.get(
        reverse("catalog:guide", args=[version.implementation_item.implementation_code])
    )

    assert response.status_code == 200
    assert "在线申请" not in response.content.decode()


def test_applying_needs_the_applicants_sign_in(client, w):
    url = reverse("cases:apply", args=[w["item"].implementation_code])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("applicants:login"))
    assert "next=" in response["Location"]


def test_start_page_lists_shared_materials_as_not_needed(me, w):
    response = me.get(reverse("cases:apply", args=[w["item"].implementation_code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "申请书" in html
    assert "不用带/不用传（部门共享获取）" in html
    assert "营业执照" in html


def test_unknown_item_is_not_found(me):
    assert me.get(reverse("cases:apply", args=["NO-SUCH-CODE"])).status_code == 404


# --- draft, uploads, submit ------------------------------------------------------------------


def test_starting_creates_one_draft_and_opens_it(me, w, person):
    case = _start(me, w)

    assert case.status == CaseStatus.DRAFT
    assert case.applicant == person
    response = me.get(reverse("cases:edit", args=[case.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "已通过数据共享获取，不用带/不用传" in html
    assert "还没有上传" in html


def test_saving_a_draft_keeps_the_form(me, w):
    case = _start(me, w)
    variant = w["version"].variants.first()

    response = me.post(
        reverse("cases:edit", args=[case.number]),
        {**_form(description="给门店办证"), "variant": variant.pk, "action": "save"},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert case.form_data["description"] == "给门店办证"
    assert case.variant == variant


def test_post_delivery_needs_an_address(me, w):
    case = _start(me, w)

    response = me.post(
        reverse("cases:edit", args=[case.number]),
        {**_form(delivery_method="post"), "action": "save"},
    )

    assert response.status_code == 200
    assert "请填写邮寄地址" in response.content.decode()


def test_upload_through_htmx_swaps_the_row(me, w):
    case = _start(me, w)
    cm = case.materials.get(name="申请书")

    response = me.post(
        reverse("cases:material_upload", args=[case.number, cm.pk]),
        {"file": f.upload("申请书.pdf", pages=2)},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="material-{cm.pk}"' in html
    assert "已上传" in html
    cm.refresh_from_db()
    assert cm.pages == 2


def test_upload_checks_the_content_not_the_name(me, w):
    case = _start(me, w)
    cm = case.materials.get(name="申请书")
    fake = SimpleUploadedFile("申请书.pdf", b"just some text, not a pdf", "application/pdf")

    response = me.post(
        reverse("cases:material_upload", args=[case.number, cm.pk]), {"file": fake}, follow=True
    )

    assert "只接受PDF、JPG或PNG格式的文件" in response.content.decode()
    cm.refresh_from_db()
    assert not cm.file


def test_submit_is_idempotent(me, w):
    case = _start(me, w)
    f.provide_all(case, case.applicant.audit_label)
    variant = w["version"].variants.first()
    data = {**_form(), "variant": variant.pk, "action": "submit", "idempotency_key": "retry-1"}
    url = reverse("cases:edit", args=[case.number])

    first = me.post(url, data)
    again = me.post(url, data)  # the browser retried: same key

    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("cases:case", args=[case.number])
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK
    assert Case.objects.filter(applicant=case.applicant).count() == 1
    assert case.events.filter(kind="submitted").count() == 1


def test_submit_without_required_materials_says_which(me, w):
    case = _start(me, w)

    response = me.post(
        reverse("cases:edit", args=[case.number]),
        {
            **_form(),
            "variant": w["version"].variants.first().pk,
            "action": "submit",
            "idempotency_key": "k-missing",
        },
    )

    assert response.status_code == 200
    assert "申请书" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


# --- privacy ---------------------------------------------------------------------------------


def test_another_applicant_sees_nothing_of_my_case(client, w, person):
    case = f.case(w, state="precheck", channel="online", applicant_=person)
    cm = case.materials.exclude(status=MaterialStatus.SHARED).first()
    sign_in(client, f.applicant())

    for url in [
        reverse("cases:case", args=[case.number]),
        reverse("cases:edit", args=[case.number]),
        reverse("cases:material_file", args=[case.number, cm.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_own_material_file_downloads_with_nosniff(me, w, person):
    case = f.case(w, state="precheck", channel="online", applicant_=person)
    cm = case.materials.exclude(status=MaterialStatus.SHARED).first()

    response = me.get(reverse("cases:material_file", args=[case.number, cm.pk]))

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- correction notice and fix ---------------------------------------------------------------


def test_correction_notice_is_shown_and_fixed_online(me, w, person):
    case = f.case(w, state="precheck", channel="online", applicant_=person)
    cm = case.materials.get(name="申请书")
    services.case_precheck(
        case=case,
        results=[{"material": cm, "status": "to_fix", "problem": "缺少签名，请签字后重新上传"}],
        actor=w["clerk"],
    )

    page = me.get(reverse("cases:case", args=[case.number]))
    html = page.content.decode()
    assert "一次性告知" in html
    assert "缺少签名，请签字后重新上传" in html

    me.post(
        reverse("cases:material_upload", args=[case.number, cm.pk]),
        {"file": f.upload("申请书（已签字）.pdf")},
    )
    response = me.post(reverse("cases:resubmit", args=[case.number]))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK
    assert PrecheckRound.objects.get(case=case).resolved_at is not None


def test_resubmit_before_fixing_keeps_the_notice(me, w, person):
    case = f.case(w, state="precheck", channel="online", applicant_=person)
    cm = case.materials.get(name="申请书")
    services.case_precheck(
        case=case,
        results=[{"material": cm, "status": "to_fix", "problem": "照片不清楚"}],
        actor=w["clerk"],
    )

    response = me.post(reverse("cases:resubmit", args=[case.number]), follow=True)

    assert "还没有补正" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK_RETURNED


# --- wallet ----------------------------------------------------------------------------------


def test_wallet_offers_earlier_materials_only_after_consent(me, w, person):
    earlier = f.case(w, state="in_progress", channel="online", applicant_=person)
    assert earlier.materials.filter(name="申请书", status=MaterialStatus.OK).exists()
    case = _start(me, w)
    edit = reverse("cases:edit", args=[case.number])

    assert "复用以前的材料" not in me.get(edit).content.decode()

    me.post(reverse("cases:consent", args=[case.number]), {"consent": "on", "next": edit})
    html = me.get(edit).content.decode()
    assert "或者复用以前的材料" in html
    assert earlier.number in html

    source = earlier.materials.get(name="申请书")
    cm = case.materials.get(name="申请书")
    response = me.post(
        reverse("cases:material_reuse", args=[case.number, cm.pk]),
        {"source": f"material:{source.pk}"},
    )
    assert response.status_code == 302
    cm.refresh_from_db()
    assert cm.reused_from == source


def test_reuse_of_someone_elses_material_is_refused(me, w):
    stranger = f.case(w, state="in_progress", channel="online")
    case = _start(me, w)
    me.post(reverse("cases:consent", args=[case.number]), {"consent": "on"})
    cm = case.materials.get(name="申请书")
    theirs = stranger.materials.get(name="申请书")

    response = me.post(
        reverse("cases:material_reuse", args=[case.number, cm.pk]),
        {"source": f"material:{theirs.pk}"},
        follow=True,
    )

    assert "请选择要复用的材料" in response.content.decode()
    cm.refresh_from_db()
    assert cm.reused_from is None


# --- agents ----------------------------------------------------------------------------------


def test_agent_applies_for_someone_else_with_an_authorisation(me, w, person):
    principal_id = f.applicant_f.resident_id()
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )

    response = me.post(
        reverse("cases:apply", args=[w["item"].implementation_code]),
        {
            "for": "other",
            "agent-principal_id_number": principal_id,
            "agent-principal_name": "王建国",
            "agent-document": SimpleUploadedFile("委托书.png", png, "image/png"),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.latest("pk")
    assert case.agent == person
    assert case.applicant.id_number == principal_id
    assert case.agent_authorisation.principal == case.applicant
    # the agent finds it under "我的办件"
    assert case.number in me.get(reverse("cases:mine")).content.decode()


def test_applying_for_someone_else_never_changes_their_profile(me, w, person):
    principal = f.applicant_f.person(name="王建国", phone="10012349999")
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )

    me.post(
        reverse("cases:apply", args=[w["item"].implementation_code]),
        {
            "for": "other",
            "agent-principal_id_number": principal.id_number,
            "agent-principal_name": "改掉的名字",
            "agent-document": SimpleUploadedFile("委托书.png", png, "image/png"),
        },
    )

    principal.refresh_from_db()
    assert (principal.name, principal.phone) == ("王建国", "10012349999")


# --- my cases, receipts, results -------------------------------------------------------------


def test_my_cases_lists_status_and_due_date_in_bounded_queries(
    me, w, person, django_assert_max_num_queries
):
    for _ in range(3):
        f.case(w, state="in_progress", applicant_=person)
    f.case(w, state="precheck", channel="online", applicant_=person)

    with django_assert_max_num_queries(8):
        response = me.get(reverse("cases:mine"))

    html = response.content.decode()
    assert html.count('class="card"') >= 4
    assert "办理中" in html
    assert "承诺办结日期" in html


def test_accepted_case_page_has_timeline_and_receipt(me, w, person):
    case = f.case(w, state="in_progress", applicant_=person)

    page = me.get(reverse("cases:case", args=[case.number]))
    html = page.content.decode()
    assert "受理" in html
    assert "下载受理回执" in html

    pdf = me.get(reverse("cases:receipt_pdf", args=[case.number]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert case.number in text.replace("\n", "")


def test_ready_for_pickup_is_shown_with_a_rating_link_when_ratings_exist(me, w, person):
    case = f.case(w, state="concluded", applicant_=person)
    assert case.delivery_method == "window"

    html = me.get(reverse("cases:case", args=[case.number])).content.decode()

    assert "待领取" in html
    from django.urls import NoReverseMatch

    try:
        rate = reverse("ratings:rate", args=[case.number])
    except NoReverseMatch:
        assert "评价这次办事" not in html
    else:
        assert rate in html


def test_withdrawing_a_submitted_application(me, w, person):
    case = f.case(w, state="precheck", channel="online", applicant_=person)

    me.post(reverse("cases:withdraw", args=[case.number]), {"reason": "不办了"})

    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


# --- public progress lookup ------------------------------------------------------------------


def test_track_with_the_last_four_of_the_id(client, w, person):
    case = f.case(w, state="in_progress", applicant_=person)

    response = client.post(
        reverse("cases:track"), {"number": case.number, "last4": person.id_number[-4:]}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "办理中" in html
    assert case.number in html
    assert person.id_number not in html
    assert response["Cache-Control"] == "no-store"


def test_track_says_the_same_for_a_wrong_pair_and_an_unknown_number(client, w, person):
    case = f.case(w, state="in_progress", applicant_=person)
    wrong = "0000" if person.id_number[-4:] != "0000" else "1111"

    wrong_pair = client.post(reverse("cases:track"), {"number": case.number, "last4": wrong})
    unknown = client.post(reverse("cases:track"), {"number": "NO-SUCH-1", "last4": wrong})

    for response in (wrong_pair, unknown):
        html = response.content.decode()
        assert "没有查到办件" in html
        assert "办理过程" not in html


def test_track_is_rate_limited(client, settings, w):
    settings.SANYI_RATE_LIMITS = {"case-track": "3/10"}
    for _ in range(3):
        assert (
            client.post(reverse("cases:track"), {"number": "X", "last4": "1234"}).status_code == 200
        )

    response = client.post(reverse("cases:track"), {"number": "X", "last4": "1234"})

    assert response.status_code == 429


def test_track_limit_is_not_reset_by_a_made_up_forwarded_for(client, settings, w):
    # given no trusted proxy, a header the client writes says nothing about who it is
    settings.SANYI_RATE_LIMITS = {"case-track": "3/10"}
    settings.SANYI_TRUSTED_PROXIES = []

    statuses = [
        client.post(
            reverse("cases:track"),
            {"number": "X", "last4": "1234"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(4)
    ]

    assert statuses == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_the_track_limit_counts_per_real_client(client, settings, w):
    settings.SANYI_RATE_LIMITS = {"case-track": "3/10"}
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's connection address

    def track(forwarded):
        return client.post(
            reverse("cases:track"),
            {"number": "X", "last4": "1234"},
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    # the left-most entries are the client's own invention; the proxy appended the last one
    spoofed = [track(f"10.9.9.{i}, 203.0.113.7") for i in range(4)]
    another_client = track("203.0.113.8")

    assert spoofed == [200, 200, 200, 429]
    assert another_client == 200


def test_track_shows_ready_for_pickup(client, w, person):
    case = f.case(w, state="concluded", applicant_=person)

    html = client.post(
        reverse("cases:track"), {"number": case.number, "last4": person.phone[-4:]}
    ).content.decode()

    assert "待领取" in html


def test_receipt_qr_link_opens_the_progress(client, w, person):
    from sanyi.cases.numbering import query_code_for

    case = f.case(w, state="in_progress", applicant_=person)

    response = client.get(
        reverse("cases:track"), {"number": case.number, "code": query_code_for(case.number)}
    )
    assert "办理中" in response.content.decode()
    bad = client.get(reverse("cases:track"), {"number": case.number, "code": "WRONG123"})
    assert "没有查到办件" in bad.content.decode()


def test_window_clerk_tile_is_registered():
    from sanyi.core.registry import tiles

    assert any(
        e.url_name == "workbench:cases:counter" and Role.WINDOW_CLERK in e.roles for e in tiles()
    )


def test_links_by_id_from_notifications_lead_to_the_own_case_only(client, w, person):
    case = f.case(w, state="precheck", channel="online", applicant_=person)
    url = reverse("cases:my_case", args=[case.pk])

    sign_in(client, person)
    assert client.get(url)["Location"] == reverse("cases:case", args=[case.number])
    sign_in(client, f.applicant())
    assert client.get(url).status_code == 404


def test_my_area_links_to_my_cases(client, w):
    sign_in(client, f.applicant())

    html = client.get(reverse("applicants:home")).content.decode()

    assert reverse("cases:mine") in html


def test_window_only_item_cannot_be_started_online(me, w):
    version = catalog_f.item(
        unit=w["dept"],
        status="published",
        guide=catalog_f.good_guide(online_depth=["consult"], channels=["window"]),
    )
    url = reverse("cases:apply", args=[version.implementation_item.implementation_code])

    page = me.get(url)
    response = me.post(url, {"for": "self"})

    assert "暂不支持网上申请" in page.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()
